import { z } from 'zod'

export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
export const MAX_MESSAGE_CHARS = 8000
export const MAX_BODY_BYTES = 64 * 1024

export const userIdSchema = z.string().regex(USER_ID_PATTERN, 'userId must be 1-64 characters of A-Z, a-z, 0-9, _ or -')

/**
 * Body of POST /api/chat/stream. Unknown fields are stripped, not rejected: a `userId` in the body is ignored, the
 * user is the session's.
 */
export const chatRequestSchema = z.object({
  message: z
    .string()
    .trim()
    .min(1, 'message must not be blank')
    .max(MAX_MESSAGE_CHARS, `message must be at most ${MAX_MESSAGE_CHARS} characters`),
  conversationId: z.string().regex(USER_ID_PATTERN, 'conversationId must be 1-64 characters of A-Z, a-z, 0-9, _ or -').optional(),
  stream: z.boolean().default(true),
})
export type ChatRequest = z.infer<typeof chatRequestSchema>
export type ChatRequestInput = z.input<typeof chatRequestSchema>
