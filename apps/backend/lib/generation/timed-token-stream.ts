import { providerEnding, type FinishReason } from '@chat/protocol'
import type { LlmPrompt, LlmProvider } from '../providers/llm-provider'
import { ProviderFailure, toProviderFailure } from './provider-failure'

export interface TokenTimeouts {
  /** No first token within this time: failure `timeout`. */
  firstTokenMs: number
  /** No next token within this time: failure `stalled`. */
  idleMs: number
}

const expire = (ms: number, failure: () => ProviderFailure) => {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), ms)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

/**
 * Streams a provider's tokens, enforcing the first-token and idle timeouts, and returns how the answer finished (the
 * provider's stop reason through `providerEnding`: an ending that is not an answer is a failure).
 * Every failure comes out as a ProviderFailure — a stream that ends without its final event among them — and the
 * provider's request is aborted whenever the stream ends, so nothing keeps running.
 */
export async function* timedTokenStream(
  provider: LlmProvider,
  prompt: LlmPrompt,
  timeouts: TokenTimeouts,
): AsyncGenerator<string, FinishReason, undefined> {
  const controller = new AbortController()
  const iterator = provider.stream(prompt, controller.signal)[Symbol.asyncIterator]()
  let received = 0
  try {
    while (true) {
      const limit =
        received === 0
          ? expire(timeouts.firstTokenMs, () => new ProviderFailure('timeout', `no first token within ${timeouts.firstTokenMs} ms`))
          : expire(timeouts.idleMs, () => new ProviderFailure('stalled', `no token for ${timeouts.idleMs} ms after ${received} tokens`))
      const next = iterator.next()
      // After an abort the pending read rejects; nobody may be waiting for it any more.
      next.catch(() => undefined)
      let step: IteratorResult<string, string | null>
      try {
        step = await Promise.race([next, limit.promise])
      } catch (error) {
        throw toProviderFailure(error)
      } finally {
        limit.cancel()
      }
      if (step.done) {
        if (step.value === null) throw new ProviderFailure('truncated', `the stream ended without its final event after ${received} tokens`)
        const ending = providerEnding(provider.name, step.value)
        if ('fail' in ending) throw new ProviderFailure(ending.fail, `the stream ended with ${JSON.stringify(step.value)} after ${received} tokens`)
        // A filter or a refusal may end an answer before its first word; a model that simply finished may not.
        if (received === 0 && (ending.complete === 'stop' || ending.complete === 'length')) {
          throw new ProviderFailure('error', 'the provider returned an empty answer')
        }
        return ending.complete
      }
      received += 1
      yield step.value
    }
  } finally {
    controller.abort()
  }
}
