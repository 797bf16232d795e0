import { z } from 'zod'
import { finishReasonSchema, providerNameSchema } from './providers'

export const STREAM_NAME = 'chat-messages'

export const groupIdFor = (userId: string): string => `user:${userId}`

export const messageRoleSchema = z.enum(['user', 'assistant'])
export const messageStatusSchema = z.enum(['pending', 'streaming', 'complete', 'error'])
export type MessageStatus = z.infer<typeof messageStatusSchema>

/**
 * One item of stream `chat-messages`, group `user:<userId>`: a user's message or an assistant's answer.
 * The answer's id is the POST's `answerId` (else the request's traceId); the user message's id is `<traceId>:user`.
 */
export const chatMessageSchema = z.object({
  id: z.string(),
  userId: z.string(),
  conversationId: z.string().optional(),
  role: messageRoleSchema,
  content: z.string(),
  status: messageStatusSchema,
  provider: providerNameSchema.nullable(),
  /** Set when the answer completes: `length` when the provider cut it off at its token limit. */
  finishReason: finishReasonSchema.optional(),
  /**
   * How many tokens of the current provider attempt `content` holds (seq 0 to tokens - 1), so a tab that joins or
   * reconnects mid-answer goes on with the live tokens after them instead of waiting for the next item write.
   */
  tokens: z.number().int().nonnegative().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ChatMessage = z.infer<typeof chatMessageSchema>

export const userMessageIdFor = (traceId: string): string => `${traceId}:user`
