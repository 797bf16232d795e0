import type OpenAI from 'openai'
import type { LlmPrompt, LlmProvider } from './llm-provider'
import { SDK_OPTIONS } from './sdk-options'

export const createOpenAiProvider = (options: { baseURL?: string; apiKey: string; model: string }): LlmProvider => {
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
          model: options.model,
          messages: [{ role: 'user', content: prompt.text }],
          stream: true,
          user: prompt.userId,
        },
        { signal },
      )
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content
        if (delta) yield delta
      }
    },
  }
}
