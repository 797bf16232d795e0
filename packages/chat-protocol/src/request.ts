import { z } from 'zod'

export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
export const MAX_MESSAGE_CHARS = 8000
export const MAX_BODY_BYTES = 64 * 1024
/** How deep a request body's arrays and objects may nest (the API's own bodies nest 1 deep). */
export const MAX_JSON_DEPTH = 32

/** An id the client names (an answer's, a conversation's): 16-64 characters of base64url. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/
const clientIdSchema = (field: string) => z.string().regex(CLIENT_ID_PATTERN, `${field} must be 16-64 characters of A-Z, a-z, 0-9, _ or -`)

/** A new client-named id: 128 random bits, base64url (22 characters). Browsers and Node 20 alike have `crypto.getRandomValues`. */
const newClientId = (): string => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * An answer's id named by the client (`answerId` in the POST), so the client can attribute the answer's events
 * before the POST's 202 arrives. Per user: the same id of two users names two answers.
 */
export const ANSWER_ID_PATTERN = CLIENT_ID_PATTERN
export const answerIdSchema = clientIdSchema('answerId')
export const newAnswerId = newClientId

/**
 * A conversation's id, named by the client that starts it (`conversationId` in the POST). Global: the user whose
 * turn first names it owns it, and another user's turn naming it is refused (403 `conversation_forbidden`).
 */
export const CONVERSATION_ID_PATTERN = CLIENT_ID_PATTERN
export const conversationIdSchema = clientIdSchema('conversationId')
export const newConversationId = newClientId

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
  /** The conversation this turn continues (or starts); its earlier turns go to the provider. Without it, a turn of its own. */
  conversationId: conversationIdSchema.optional(),
  stream: z.boolean().default(true),
  /** The answer's id (else the request's traceId). A POST naming an answer that exists is answered again, not rerun. */
  answerId: answerIdSchema.optional(),
})
export type ChatRequest = z.infer<typeof chatRequestSchema>
export type ChatRequestInput = z.input<typeof chatRequestSchema>
