import type { FinishReason, ProviderName, ProviderSwitchEventData, TokenEventData } from '@chat/protocol'
import { ERROR_CODES } from '@chat/protocol'
import type { LlmPrompt, LlmProvider } from '../providers/llm-provider'
import type { ProviderFailure } from './provider-failure'
import { timedTokenStream, type TokenTimeouts } from './timed-token-stream'

/** Where the generation reports progress (the stream events and the message item). */
export interface GenerationSink {
  attemptStarted(provider: ProviderName): Promise<void>
  token(data: TokenEventData): Promise<void>
  providerSwitch(data: ProviderSwitchEventData): Promise<void>
}

export type GenerationResult =
  | { ok: true; content: string; provider: ProviderName; tokenCount: number; finishReason: FinishReason }
  | { ok: false; code: string; message: string }

export interface GenerateAnswerInput {
  traceId: string
  prompt: LlmPrompt
  providers: readonly LlmProvider[]
  timeouts: TokenTimeouts
  sink: GenerationSink
  onFailure?: (failure: ProviderFailure, from: ProviderName, to: ProviderName | null) => void
}

/** Streams the answer from the first provider that finishes it, switching to the next one on any failure. */
export const generateAnswer = async (input: GenerateAnswerInput): Promise<GenerationResult> => {
  const { traceId, prompt, providers, timeouts, sink } = input
  const failures: string[] = []
  for (const [index, provider] of providers.entries()) {
    await sink.attemptStarted(provider.name)
    const tokens = timedTokenStream(provider, prompt, timeouts)
    let content = ''
    let seq = 0
    let failure: ProviderFailure | null = null
    while (true) {
      let step: IteratorResult<string, FinishReason>
      try {
        step = await tokens.next()
      } catch (error) {
        failure = error as ProviderFailure
        break
      }
      if (step.done) return { ok: true, content, provider: provider.name, tokenCount: seq, finishReason: step.value }
      try {
        await sink.token({ traceId, seq, token: step.value, provider: provider.name })
      } catch (error) {
        // The answer cannot be delivered: stop the provider's request too (ending the generator; its value is never read).
        await tokens.return(undefined as never).catch(() => undefined)
        throw error
      }
      content += step.value
      seq += 1
    }
    const next = providers[index + 1]
    input.onFailure?.(failure, provider.name, next?.name ?? null)
    // Reasons only: the provider's own words stay in the log (`onFailure`), never in what a user is sent.
    failures.push(`${provider.name} (${failure.reason})`)
    if (next) await sink.providerSwitch({ traceId, from: provider.name, to: next.name, reason: failure.reason })
  }
  return {
    ok: false,
    code: ERROR_CODES.allProvidersFailed,
    message: `Every provider failed: ${failures.join(', ')}.`,
  }
}
