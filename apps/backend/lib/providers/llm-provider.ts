import type { ProviderName } from '@chat/protocol'

export interface LlmPrompt {
  text: string
  /** Passed to the provider as its end-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  userId: string
}

/** One LLM service: streams the answer to a prompt as text deltas until done, or throws. */
export interface LlmProvider {
  readonly name: ProviderName
  stream(prompt: LlmPrompt, signal: AbortSignal): AsyncIterable<string>
}
