import { expect, test } from '@playwright/test'
import { generateAnswer, type GenerationSink } from '../../apps/backend/lib/generation/generate-answer'
import { ProviderFailure, toProviderFailure } from '../../apps/backend/lib/generation/provider-failure'
import { timedTokenStream } from '../../apps/backend/lib/generation/timed-token-stream'
import type { LlmPrompt, LlmProvider } from '../../apps/backend/lib/providers/llm-provider'

// The generation's own logic, with scripted providers (no SDK, no network): how a provider's error or ending becomes a
// switch reason, and what the failover does with it. The provider-facing timeouts are not exercised here (they run on
// the process's timers); the api specs drive them through the fake LLM (e2e/api/failover*).
const prompt: LlmPrompt = { text: 'Hi?', history: [], userId: 'u1' }
/** Far above anything these providers take: every step below is settled by the provider, never by a timer. */
const NEVER = { firstTokenMs: 60_000, idleMs: 60_000 }

/** A provider that yields `tokens`, then ends as `end` says: a stop reason (or null: cut short), or a thrown error. */
const scripted = (name: LlmProvider['name'], tokens: string[], end: { reason: string | null } | { error: unknown }) => {
  const signals: AbortSignal[] = []
  const provider: LlmProvider = {
    name,
    async *stream(_prompt, signal) {
      signals.push(signal)
      for (const token of tokens) yield token
      if ('error' in end) throw end.error
      return end.reason
    },
  }
  return { provider, signals }
}

const drain = async (provider: LlmProvider) => {
  const tokens: string[] = []
  const stream = timedTokenStream(provider, prompt, NEVER)
  for (;;) {
    const step = await stream.next()
    if (step.done) return { tokens, ending: step.value }
    tokens.push(step.value)
  }
}

/** An SDK error as both SDKs shape it: an Error with `status`, `type` and the body's `error`. */
const sdkError = (message: string, fields: { status?: number; type?: string; error?: unknown }) => Object.assign(new Error(message), fields)

test('an SDK error becomes the switch reason its status, type or shape says, keeping the words for the log', () => {
  const cases: [unknown, string][] = [
    [sdkError('Overloaded', { status: 529, type: 'overloaded_error' }), 'overloaded'],
    [sdkError('slow down', { status: 429, type: 'rate_limit_error' }), 'rate_limited'],
    [sdkError('slow down', { type: 'rate_limit_exceeded' }), 'rate_limited'],
    [sdkError('The engine is currently overloaded', { status: 503 }), 'overloaded'],
    [sdkError('Overloaded', { status: 529 }), 'overloaded'],
    [sdkError('Too many requests', { status: 429 }), 'rate_limited'],
    [sdkError('Bad gateway', { status: 502 }), 'http_5xx'],
    [sdkError('boom', { error: { type: 'api_error', message: 'boom' } }), 'provider_error'],
    [sdkError('Unauthorized', { status: 401, type: 'authentication_error' }), 'error'],
    [sdkError('Connection error.', {}), 'error'],
    [new SyntaxError('Unexpected token < in JSON'), 'malformed'],
    ['a string thrown', 'error'],
    [null, 'error'],
  ]
  for (const [error, reason] of cases) expect(toProviderFailure(error).reason, String((error as Error | null)?.message ?? error)).toBe(reason)

  expect(toProviderFailure(sdkError('Overloaded', { status: 529, type: 'overloaded_error' })).message).toBe('overloaded_error (529): Overloaded')
  expect(toProviderFailure(sdkError('slow down', { type: 'rate_limit_exceeded' })).message).toBe('rate_limit_exceeded (in the stream): slow down')
  expect(toProviderFailure(sdkError('boom', { error: {} })).message).toBe('error event (in the stream): boom')
  expect(toProviderFailure('a string thrown').message).toBe('a string thrown')
  const cause = sdkError('Bad gateway', { status: 502 })
  expect(toProviderFailure(cause).cause, 'the SDK error is kept as the cause').toBe(cause)
  const failure = new ProviderFailure('stalled', 'no token')
  expect(toProviderFailure(failure), 'a ProviderFailure passes through as it is').toBe(failure)
})

test('a stream is judged by its ending: an answer completes, a cut-short or non-answer ending fails, an empty "stop" fails', async () => {
  expect(await drain(scripted('openai', ['Hel', 'lo'], { reason: 'stop' }).provider)).toEqual({ tokens: ['Hel', 'lo'], ending: 'stop' })
  expect(await drain(scripted('anthropic', ['Hel'], { reason: 'max_tokens' }).provider)).toEqual({ tokens: ['Hel'], ending: 'length' })
  // A filter may end an answer before its first word: that is an answer (with its notice), not a failure.
  expect(await drain(scripted('openai', [], { reason: 'content_filter' }).provider)).toEqual({ tokens: [], ending: 'content_filter' })

  const failures: [LlmProvider, string, RegExp][] = [
    [scripted('openai', ['a'], { reason: null }).provider, 'truncated', /ended without its final event after 1 tokens/],
    [scripted('openai', ['a'], { reason: 'tool_calls' }).provider, 'unexpected_ending', /ended with "tool_calls" after 1 tokens/],
    [scripted('anthropic', [], { reason: 'end_turn' }).provider, 'error', /empty answer/],
    [scripted('openai', [], { reason: 'length' }).provider, 'error', /empty answer/],
    [scripted('openai', ['a'], { error: sdkError('Bad gateway', { status: 502 }) }).provider, 'http_5xx', /server error \(502\)/],
  ]
  for (const [provider, reason, message] of failures) {
    const error = await drain(provider).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderFailure)
    expect(error).toMatchObject({ reason, message: expect.stringMatching(message) })
  }
})

test("the provider's request is aborted whenever its stream ends: finished, failed, or left early by the reader", async () => {
  const finished = scripted('openai', ['a'], { reason: 'stop' })
  await drain(finished.provider)
  const failed = scripted('openai', ['a'], { error: new Error('reset') })
  await drain(failed.provider).catch(() => undefined)
  const left = scripted('openai', ['a', 'b', 'c'], { reason: 'stop' })
  const stream = timedTokenStream(left.provider, prompt, NEVER)
  expect((await stream.next()).value).toBe('a')
  expect(left.signals[0]!.aborted, 'not while it is being read').toBe(false)
  await stream.return('stop')
  expect([finished, failed, left].map(({ signals }) => signals[0]!.aborted)).toEqual([true, true, true])
})

/** A sink that records what the generation reported, in order. */
const recordingSink = (failOnToken?: number) => {
  const seen: string[] = []
  const sink: GenerationSink = {
    attemptStarted: async (provider) => void seen.push(`start ${provider}`),
    token: async ({ seq, token, provider }) => {
      if (seq === failOnToken) throw new Error('the store is gone')
      seen.push(`${provider}#${seq} ${token}`)
    },
    providerSwitch: async ({ from, to, reason }) => void seen.push(`switch ${from}→${to} (${reason})`),
  }
  return { sink, seen }
}

/** An answer generated through `providers` (never timing out): what it returned, what the sink saw, what was logged. */
const generateThrough = async (traceId: string, providers: LlmProvider[]) => {
  const { sink, seen } = recordingSink()
  const failures: string[] = []
  const result = await generateAnswer({ traceId, prompt, providers, timeouts: NEVER, sink, onFailure: (failure, from, to) => failures.push(`${from}→${to}: ${failure.reason}`) })
  return { result, seen, failures }
}

test('failover: a provider failing mid-answer is replaced by the next, which starts the answer again from token 0', async () => {
  const { result, seen, failures } = await generateThrough('t1', [
    scripted('openai', ['Hel'], { error: sdkError('Overloaded', { status: 529 }) }).provider,
    scripted('anthropic', ['Hello', ' there'], { reason: 'end_turn' }).provider,
  ])
  expect(result).toEqual({ ok: true, content: 'Hello there', provider: 'anthropic', tokenCount: 2, finishReason: 'stop' })
  expect(seen).toEqual(['start openai', 'openai#0 Hel', 'switch openai→anthropic (overloaded)', 'start anthropic', 'anthropic#0 Hello', 'anthropic#1  there'])
  expect(failures).toEqual(['openai→anthropic: overloaded'])
})

test('every provider failing: all_providers_failed naming each reason (never their words), the last failure logged with no successor', async () => {
  const { result, seen, failures } = await generateThrough('t2', [
    scripted('openai', [], { error: sdkError('secret provider words', { status: 500 }) }).provider,
    scripted('anthropic', ['x'], { reason: null }).provider,
  ])
  expect(result).toEqual({ ok: false, code: 'all_providers_failed', message: 'Every provider failed: openai (http_5xx), anthropic (truncated).' })
  expect(JSON.stringify(result)).not.toContain('secret provider words')
  expect(seen.filter((line) => line.startsWith('switch'))).toEqual(['switch openai→anthropic (http_5xx)'])
  expect(failures).toEqual(['openai→anthropic: http_5xx', 'anthropic→null: truncated'])
})

test('a token that cannot be delivered stops the generation: the error is thrown, the provider aborted, no failover', async () => {
  const { sink, seen } = recordingSink(1)
  const openai = scripted('openai', ['a', 'b', 'c'], { reason: 'stop' })
  const anthropic = scripted('anthropic', ['z'], { reason: 'end_turn' })
  await expect(generateAnswer({ traceId: 't3', prompt, providers: [openai.provider, anthropic.provider], timeouts: NEVER, sink })).rejects.toThrow('the store is gone')
  expect(seen).toEqual(['start openai', 'openai#0 a'])
  expect(openai.signals[0]!.aborted).toBe(true)
  expect(anthropic.signals, 'the next provider is never asked').toEqual([])
})
