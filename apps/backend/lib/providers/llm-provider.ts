import type { ProviderName } from '@chat/protocol'
import type { HistoryTurn } from '../conversation-history'

export interface LlmPrompt {
  text: string
  /** The conversation's earlier turns, oldest first, within the history budget (lib/conversation-history.ts). */
  history: HistoryTurn[]
  /** Passed to the provider as its end-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  userId: string
}

/** Where a provider lives and as whom the backend calls it (`<NAME>_BASE_URL`, `_API_KEY`, `_MODEL`; lib/config.ts). */
export interface ProviderSettings {
  baseURL?: string
  apiKey: string
  /** The adapter's default model when unset. */
  model?: string
}

/**
 * One LLM service: streams the answer to a prompt as text deltas, then returns the provider's own stop reason
 * (`finish_reason`, `stop_reason`; `providerEnding` in @chat/protocol says what it means) — or `null` when the stream
 * ended without the provider's final event (the answer was cut short, not finished); throws on a failure.
 */
export interface LlmProvider {
  readonly name: ProviderName
  stream(prompt: LlmPrompt, signal: AbortSignal): AsyncGenerator<string, string | null, undefined>
}
