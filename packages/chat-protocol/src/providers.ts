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
 * `error`, an HTTP 5xx, a 429, the provider `overloaded` (Anthropic's `overloaded_error` or 529, in a response or
 * mid-stream), an error event the provider streamed (`provider_error`), no first token in time (`timeout`), no next
 * token in time (`stalled`), a stream that ended without its final event (`truncated`), a chunk that could not be
 * parsed (`malformed`), or an ending this chat never asks for (`unexpected_ending`: a tool call, a paused turn).
 */
export const switchReasonSchema = z.enum([
  'error',
  'http_5xx',
  'rate_limited',
  'overloaded',
  'provider_error',
  'timeout',
  'stalled',
  'truncated',
  'malformed',
  'unexpected_ending',
])
export type SwitchReason = z.infer<typeof switchReasonSchema>

/**
 * How a completed answer ended: `stop`, the model finished it; `length`, it was cut off at the answer's token limit;
 * `content_filter`, the provider's content filter stopped it (the text so far); `refusal`, the model declined (the
 * text so far, often none). Each but `stop` is shown with a notice (provider-endings.ts maps the providers' own).
 */
export const finishReasonSchema = z.enum(['stop', 'length', 'content_filter', 'refusal'])
export type FinishReason = z.infer<typeof finishReasonSchema>

/**
 * The ways a provider's answer can end other than finishing, each played by the fake LLM (a scenario's
 * `failure.kind`, after `afterTokens` tokens) and handled by the backend: `disconnect` (the connection is cut),
 * `stall` (nothing more, the connection left open), `http_500` / `http_429` (that status, or an in-stream error
 * event), `overloaded` (Anthropic's `overloaded_error`: a 529, or an in-stream error event), `api_error` (an error
 * event mid-stream: Anthropic's `api_error`, OpenAI's `error` chunk), `truncated` (the stream ends cleanly without its
 * final event), `malformed` (an unparseable chunk), `tool_call` (a tool-call ending: OpenAI `tool_calls`, Anthropic
 * `tool_use`) — each a switch to the next provider — and the endings that complete the answer there: `length` (cut
 * off at the token limit), `content_filter` (OpenAI's filter), `refusal` (Anthropic's `stop_reason: "refusal"`).
 */
export const failureKindSchema = z.enum([
  'disconnect',
  'stall',
  'http_500',
  'http_429',
  'overloaded',
  'api_error',
  'truncated',
  'malformed',
  'tool_call',
  'length',
  'content_filter',
  'refusal',
])
export type FailureKind = z.infer<typeof failureKindSchema>
