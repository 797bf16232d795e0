import { z } from 'zod'

/**
 * The LLM providers, in no particular order (`LLM_PROVIDERS` orders the chain). A new provider is one entry here,
 * one backend adapter (`apps/backend/lib/providers`) and one wire format of the fake LLM (`fixtures/fake-llm`).
 */
export const providerNameSchema = z.enum(['openai', 'anthropic'])
export type ProviderName = z.infer<typeof providerNameSchema>
export const PROVIDER_NAMES: readonly ProviderName[] = providerNameSchema.options

/**
 * Why the backend left a provider for the next one (the `reason` of `provider_switch`): a connection or other
 * `error`, an HTTP 5xx, a 429, no first token in time (`timeout`), no next token in time (`stalled`), a stream
 * that ended without its final event (`truncated`), or a chunk that could not be parsed (`malformed`).
 */
export const switchReasonSchema = z.enum(['error', 'http_5xx', 'rate_limited', 'timeout', 'stalled', 'truncated', 'malformed'])
export type SwitchReason = z.infer<typeof switchReasonSchema>

/** How a completed answer ended: `stop`, the model finished it; `length`, it was cut off at the answer's token limit. */
export const finishReasonSchema = z.enum(['stop', 'length'])
export type FinishReason = z.infer<typeof finishReasonSchema>

/**
 * The ways a provider's answer can go wrong, each played by the fake LLM (a scenario's `failure.kind`, after
 * `afterTokens` tokens) and handled by the backend: `disconnect` (the connection is cut), `stall` (nothing more, the
 * connection left open), `http_500` / `http_429` (that status, or an in-stream error event), `truncated` (the stream
 * ends cleanly without its final event), `malformed` (an unparseable chunk) — each a switch to the next provider —
 * and `length` (the answer ends there, cut off at the token limit: complete, `finishReason: 'length'`).
 */
export const failureKindSchema = z.enum(['disconnect', 'stall', 'http_500', 'http_429', 'truncated', 'malformed', 'length'])
export type FailureKind = z.infer<typeof failureKindSchema>
