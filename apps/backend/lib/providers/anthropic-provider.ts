import type Anthropic from '@anthropic-ai/sdk'
import type { LlmPrompt, LlmProvider } from './llm-provider'
import { SDK_OPTIONS } from './sdk-options'

const MAX_ANSWER_TOKENS = 1024

export const createAnthropicProvider = (options: { baseURL?: string; apiKey: string; model: string }): LlmProvider => {
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
          model: options.model,
          max_tokens: MAX_ANSWER_TOKENS,
          messages: [{ role: 'user', content: prompt.text }],
          metadata: { user_id: prompt.userId },
          stream: true,
        },
        { signal },
      )
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text) {
          yield event.delta.text
        }
      }
    },
  }
}
