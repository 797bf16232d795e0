import type { FinishReason, ProviderName, SwitchReason } from './providers'

/**
 * What an answer becomes when its provider's stream ends with a stop reason: complete (how it finished, shown with
 * a notice unless `stop`), or a failure of this provider (the reason of the switch to the next one).
 */
export type ProviderEnding = { complete: FinishReason } | { fail: SwitchReason }

/**
 * Every stop reason each provider streams, mapped once (ARCHITECTURE, "Provider endings", says why each goes where).
 * `content_filter` and `refusal` complete the answer with the text so far and a notice, never a failover: the
 * provider or the model decided, and asking the next provider would route around that decision. An ending this chat
 * never asks for (tools, a paused server-tool turn) fails over, as a provider that did not answer.
 */
export const PROVIDER_ENDINGS: Record<ProviderName, Readonly<Record<string, ProviderEnding>>> = {
  openai: {
    stop: { complete: 'stop' },
    length: { complete: 'length' },
    content_filter: { complete: 'content_filter' },
    tool_calls: { fail: 'unexpected_ending' },
    function_call: { fail: 'unexpected_ending' },
  },
  anthropic: {
    end_turn: { complete: 'stop' },
    stop_sequence: { complete: 'stop' },
    max_tokens: { complete: 'length' },
    refusal: { complete: 'refusal' },
    pause_turn: { fail: 'unexpected_ending' },
    tool_use: { fail: 'unexpected_ending' },
  },
}

/** The ending of `provider`'s stop reason; one not in the table is a failure (`unexpected_ending`), never silent text. */
export const providerEnding = (provider: ProviderName, stopReason: string | null | undefined): ProviderEnding =>
  (stopReason ? PROVIDER_ENDINGS[provider][stopReason] : undefined) ?? { fail: 'unexpected_ending' }

/**
 * The switch reason of an error a provider reports itself (an HTTP error body, or an error event mid-stream), by its
 * type: Anthropic's `overloaded_error` (or HTTP 529) is worth saying apart; any other is the provider's own error.
 */
export const PROVIDER_ERROR_REASONS: Readonly<Record<string, SwitchReason>> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limited',
  rate_limit_exceeded: 'rate_limited',
}
