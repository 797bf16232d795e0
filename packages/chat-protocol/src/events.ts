import { z } from 'zod'
import { finishReasonSchema, providerNameSchema, switchReasonSchema } from './providers'

/** `seq` counts 0,1,2… per provider attempt; joining the tokens of one attempt in seq order gives its text. */
export const tokenEventDataSchema = z.object({
  traceId: z.string(),
  seq: z.number().int().nonnegative(),
  token: z.string(),
  provider: providerNameSchema,
})
export const completeEventDataSchema = z.object({
  traceId: z.string(),
  content: z.string(),
  provider: providerNameSchema,
  tokenCount: z.number().int().nonnegative(),
  /** `length`: the provider cut the answer off at its token limit; the answer is complete but not whole. */
  finishReason: finishReasonSchema,
})
export const errorEventDataSchema = z.object({
  traceId: z.string(),
  code: z.string(),
  message: z.string(),
})
export const providerSwitchEventDataSchema = z.object({
  traceId: z.string(),
  from: providerNameSchema,
  to: providerNameSchema,
  reason: switchReasonSchema,
})

/** An ephemeral event sent to group `user:<userId>` with `streams['chat-messages'].send({ groupId }, event)`. */
export const chatEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), data: tokenEventDataSchema }),
  z.object({ type: z.literal('complete'), data: completeEventDataSchema }),
  z.object({ type: z.literal('error'), data: errorEventDataSchema }),
  z.object({ type: z.literal('provider_switch'), data: providerSwitchEventDataSchema }),
])
export type ChatEvent = z.infer<typeof chatEventSchema>
export type ChatEventType = ChatEvent['type']
export type TokenEventData = z.infer<typeof tokenEventDataSchema>
export type CompleteEventData = z.infer<typeof completeEventDataSchema>
export type ErrorEventData = z.infer<typeof errorEventDataSchema>
export type ProviderSwitchEventData = z.infer<typeof providerSwitchEventDataSchema>

export const ERROR_CODES = {
  allProvidersFailed: 'all_providers_failed',
  /** The generation stopped: the backend restarted mid-answer, or the answer made no progress within the stall bound. */
  interrupted: 'interrupted',
  /** Redis (the store behind every answer) is unreachable: also the code of a 503 answer to a request. */
  unavailable: 'unavailable',
  /**
   * The backend instance is streaming as many answers as it can (503 with `Retry-After`, in seconds): nothing was
   * recorded; the same request may be sent again once that time has passed.
   */
  busy: 'busy',
  /**
   * 429 with `Retry-After` (seconds), nothing recorded, no provider asked: the user asked for more answers than the
   * per-user rate allows (a burst within seconds, or a sustained rate within an hour).
   */
  rateLimited: 'rate_limited',
  /** 429 with `Retry-After`: the user already has as many answers streaming as one user may; one must end first. */
  tooManyInFlight: 'too_many_in_flight',
  /** 429 with `Retry-After`: the user's provider tokens for the day are spent; the budget renews after it. */
  budgetExhausted: 'budget_exhausted',
  /** 429 with `Retry-After` to `POST /api/session`: too many new sessions from one client address. */
  tooManySessions: 'too_many_sessions',
  /** A POST naming a conversation another user started (403). */
  conversationForbidden: 'conversation_forbidden',
} as const
