import type OpenAI from 'openai'
import type { LlmPrompt, LlmProvider, ProviderSettings } from './llm-provider'
import { SDK_OPTIONS } from './sdk-options'
import { promptMessages } from '../conversation-history'

const DEFAULT_MODEL = 'gpt-4o-mini'

export const createOpenAiProvider = (options: ProviderSettings): LlmProvider => {
  // Loaded on first use: a step run in a process of its own (MOTIA_WARM_STEPS=off, `motia dev`) that never
  // generates (POST with stream: true, polling, health) should not pay for loading the SDK.
  let client: Promise<OpenAI> | undefined
  const getClient = () =>
    (client ??= import('openai').then(({ default: OpenAIClient }) => new OpenAIClient({ baseURL: options.baseURL, apiKey: options.apiKey, ...SDK_OPTIONS })))
  return {
    name: 'openai',
    async *stream(prompt: LlmPrompt, signal: AbortSignal) {
      const stream = await (await getClient()).chat.completions.create(
        {
          model: options.model ?? DEFAULT_MODEL,
          messages: promptMessages(prompt),
          stream: true,
          user: prompt.userId,
        },
        { signal },
      )
      // Only a chunk with a finish_reason finishes the answer; a stream that ends without one was cut short.
      let finishReason: string | null = null
      for await (const chunk of stream) {
        const choice = chunk.choices[0]
        if (choice?.delta?.content) yield choice.delta.content
        if (choice?.finish_reason) finishReason = choice.finish_reason
      }
      return finishReason
    },
  }
}
