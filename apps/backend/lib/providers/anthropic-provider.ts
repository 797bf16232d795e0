import type Anthropic from '@anthropic-ai/sdk'
import type { LlmPrompt, LlmProvider, ProviderSettings } from './llm-provider'
import { SDK_OPTIONS } from './sdk-options'
import { promptMessages } from '../conversation-history'

const DEFAULT_MODEL = 'claude-3-5-haiku-latest'
const MAX_ANSWER_TOKENS = 1024

export const createAnthropicProvider = (options: ProviderSettings): LlmProvider => {
  // Loaded on first use, like the OpenAI SDK: steps that never generate should not pay for it.
  let client: Promise<Anthropic> | undefined
  const getClient = () =>
    (client ??= import('@anthropic-ai/sdk').then(
      ({ default: AnthropicClient }) => new AnthropicClient({ baseURL: options.baseURL, apiKey: options.apiKey, ...SDK_OPTIONS }),
    ))
  return {
    name: 'anthropic',
    async *stream(prompt: LlmPrompt, signal: AbortSignal) {
      const stream = await (await getClient()).messages.create(
        {
          model: options.model ?? DEFAULT_MODEL,
          max_tokens: MAX_ANSWER_TOKENS,
          messages: promptMessages(prompt),
          metadata: { user_id: prompt.userId },
          stream: true,
        },
        { signal },
      )
      // Only message_stop finishes the answer (its stop_reason came in message_delta); a stream that ends before it was cut short.
      let stopReason: string | null = null
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text) {
          yield event.delta.text
        }
        if (event.type === 'message_delta') stopReason = event.delta.stop_reason
        if (event.type === 'message_stop') return stopReason ?? 'end_turn'
      }
      return null
    },
  }
}
