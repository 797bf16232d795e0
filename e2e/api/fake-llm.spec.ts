import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROVIDER_NAMES, type ProviderName } from '@chat/protocol'
import { expect, test as base } from '@playwright/test'
import { anthropic, anthropicSdk, openai, openaiSdk } from '../../fixtures/fake-llm/sdk-clients'
import { FakeLlmControl } from '../../fixtures/fake-llm/src/control-client'
import type { ScenarioInput } from '../../fixtures/fake-llm/src/scenario'
import { FAKE_LLM_URL } from '../../fixtures/stack/urls'
import { readStackSecrets } from '../../scripts/stack-secrets'

const CONTROL_TOKEN = readStackSecrets().FAKE_LLM_CONTROL_TOKEN
const control = new FakeLlmControl(FAKE_LLM_URL, CONTROL_TOKEN)

type Provider = ProviderName
const PROVIDERS = PROVIDER_NAMES


type Part = { text: string } | { finish: string }

/**
 * One streamed answer through the provider's SDK as it reads it: text deltas and the finish reason (OpenAI's
 * `finish_reason`, Anthropic's `stop_reason`); the request starts when the first part is read.
 */
async function* streamParts(provider: Provider, userId: string, prompt: string, signal?: AbortSignal): AsyncGenerator<Part> {
  if (provider === 'openai') {
    const stream = await openai.chat.completions.create(
      { model: 'gpt-test', user: userId, stream: true, messages: [{ role: 'user', content: prompt }] },
      { signal },
    )
    for await (const chunk of stream) {
      const choice = chunk.choices[0]
      if (choice?.delta.content) yield { text: choice.delta.content }
      if (choice?.finish_reason) yield { finish: choice.finish_reason }
    }
    return
  }
  const stream = await anthropic.messages.create(
    { model: 'claude-test', max_tokens: 256, stream: true, metadata: { user_id: userId }, messages: [{ role: 'user', content: prompt }] },
    { signal },
  )
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield { text: event.delta.text }
    if (event.type === 'message_delta' && event.delta.stop_reason) yield { finish: event.delta.stop_reason }
  }
}

/** The text deltas of one streamed answer through the provider's SDK; the request starts when the first is read. */
async function* streamAnswer(provider: Provider, userId: string, prompt: string, signal?: AbortSignal): AsyncGenerator<string> {
  for await (const part of streamParts(provider, userId, prompt, signal)) if ('text' in part) yield part.text
}

/** A streamed answer read to its end: its deltas, the finish reasons it gave (none when cut short), what the SDK threw. */
const readEnding = async (provider: Provider, userId: string, prompt: string) => {
  const deltas: string[] = []
  const finishes: string[] = []
  try {
    for await (const part of streamParts(provider, userId, prompt)) {
      if ('text' in part) deltas.push(part.text)
      else finishes.push(part.finish)
    }
    return { deltas, finishes, error: undefined }
  } catch (error) {
    return { deltas, finishes, error }
  }
}

/** The raw body of one streamed answer, as the SDK received it. */
const rawStream = async (provider: Provider, userId: string, prompt: string): Promise<string> => {
  const response =
    provider === 'openai'
      ? await openai.chat.completions.create({ model: 'gpt-test', user: userId, stream: true, messages: [{ role: 'user', content: prompt }] }).asResponse()
      : await anthropic.messages
          .create({ model: 'claude-test', max_tokens: 256, stream: true, metadata: { user_id: userId }, messages: [{ role: 'user', content: prompt }] })
          .asResponse()
  return response.text()
}

/**
 * What ends a well-formed stream of each provider, how each names its endings (null: the provider has none, and the
 * fake refuses to script it), and its own errors: the overload (HTTP status, the SDK's error type, the in-stream
 * frame) and an error event mid-answer (`api_error`), each frame exactly as the provider streams it.
 */
const WIRE_ENDS: Record<
  Provider,
  {
    finalEvent: string
    stop: string
    length: string
    toolCall: string
    contentFilter: string | null
    refusal: string | null
    overloaded: { status: number; type: string; frame: string }
    apiError: { type: string; frame: string }
  }
> = {
  openai: {
    finalEvent: 'data: [DONE]',
    stop: 'stop',
    length: 'length',
    toolCall: 'tool_calls',
    contentFilter: 'content_filter',
    refusal: null,
    overloaded: {
      status: 503,
      type: 'server_error',
      frame: 'data: {"error":{"message":"The server is overloaded or not ready yet.","type":"server_error","param":null,"code":null}}\n\n',
    },
    apiError: {
      type: 'server_error',
      frame:
        'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n',
    },
  },
  anthropic: {
    finalEvent: 'event: message_stop',
    stop: 'end_turn',
    length: 'max_tokens',
    toolCall: 'tool_use',
    contentFilter: null,
    refusal: 'refusal',
    overloaded: {
      status: 529,
      type: 'overloaded_error',
      frame: 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    },
    apiError: { type: 'api_error', frame: 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Internal server error"}}\n\n' },
  },
}

/** The tool the fake's `tool_call` ending calls. */
const SCRIPTED_TOOL = { name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } }

/** One answer through the SDK's accumulating helper (streamed) or a plain create (not): its text, finish reason and tool calls. */
const askWithTools = async (provider: Provider, userId: string, prompt: string, streamed: boolean) => {
  if (provider === 'openai') {
    const params = { model: 'gpt-test', user: userId, messages: [{ role: 'user' as const, content: prompt }] }
    const completion = streamed ? await openai.chat.completions.stream(params).finalChatCompletion() : await openai.chat.completions.create(params)
    const choice = completion.choices[0]!
    return {
      text: choice.message.content ?? '',
      finish: choice.finish_reason,
      tools: (choice.message.tool_calls ?? []).map((call) => (call.type === 'function' ? { name: call.function.name, input: JSON.parse(call.function.arguments) } : call)),
    }
  }
  const params = { model: 'claude-test', max_tokens: 256, metadata: { user_id: userId }, messages: [{ role: 'user' as const, content: prompt }] }
  const message = streamed ? await anthropic.messages.stream(params).finalMessage() : await anthropic.messages.create(params)
  return {
    text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    finish: message.stop_reason,
    tools: message.content.flatMap((block) => (block.type === 'tool_use' ? [{ name: block.name, input: block.input }] : [])),
  }
}

/** `POST /__scenarios` or `/__replays` as sent, for the answers the control client would throw on. */
const controlPost = async (route: '/__scenarios' | '/__replays', body: unknown) => {
  const response = await fetch(`${FAKE_LLM_URL}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CONTROL_TOKEN}` },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { error?: string } }
}

/** The SSE events of a raw stream: each one's event name (null for OpenAI's) and its data. */
const sseEvents = (raw: string) =>
  raw
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? null,
      data: block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n'),
    }))

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RECORDINGS = path.join(ROOT, 'fixtures', 'recordings')

/** The text a recording's chunks carry, read from the file as the provider's own chunks. */
const recordedText = (provider: Provider, file: string): string =>
  readFileSync(path.join(RECORDINGS, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
    .map((chunk) =>
      provider === 'openai'
        ? (chunk.choices?.[0]?.delta?.content ?? '')
        : chunk.type === 'content_block_delta' && chunk.delta.type === 'text_delta'
          ? chunk.delta.text
          : '',
    )
    .join('')

/** This spec's own recordings of each provider (`fixtures/recordings/fake/`). */
const OWN_RECORDINGS: Record<Provider, string> = { openai: 'fake/openai-hello.jsonl', anthropic: 'fake/anthropic-hello.jsonl' }

/** One whole answer through the provider's SDK, with its finish reason. */
const askWhole = async (provider: Provider, userId: string, prompt: string): Promise<{ text: string; finish: string | null }> => {
  if (provider === 'openai') {
    const completion = await openai.chat.completions.create({ model: 'gpt-test', user: userId, messages: [{ role: 'user', content: prompt }] })
    return { text: completion.choices[0]?.message.content ?? '', finish: completion.choices[0]?.finish_reason ?? null }
  }
  const message = await anthropic.messages.create({
    model: 'claude-test',
    max_tokens: 256,
    metadata: { user_id: userId },
    messages: [{ role: 'user', content: prompt }],
  })
  return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''), finish: message.stop_reason }
}

const ask = async (provider: Provider, userId: string, prompt: string): Promise<string> => (await askWhole(provider, userId, prompt)).text

/** Reads a streamed answer in the background, so a test can look at the deltas that arrived so far. */
class Reading {
  readonly deltas: string[] = []
  readonly controller = new AbortController()
  /** Settles when the stream ends: `error` is what the SDK threw, if anything. */
  readonly ended: Promise<{ error?: unknown }>
  private onChange: (() => void) | null = null

  constructor(provider: Provider, userId: string, prompt: string) {
    this.ended = (async () => {
      try {
        for await (const delta of streamAnswer(provider, userId, prompt, this.controller.signal)) {
          this.deltas.push(delta)
          this.onChange?.()
        }
        return {}
      } catch (error) {
        return { error }
      } finally {
        this.onChange?.()
      }
    })()
  }

  get text(): string {
    return this.deltas.join('')
  }

  /** True when neither a delta nor the end arrives within `ms` (a bound on a negative, not a synchronisation). */
  async staysQuietFor(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const changed = new Promise<false>((resolve) => (this.onChange = () => resolve(false)))
    const quiet = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), ms)))
    const result = await Promise.race([changed, quiet])
    clearTimeout(timer)
    this.onChange = null
    return result
  }
}

const errorOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

const readAll = async (provider: Provider, userId: string, prompt: string): Promise<string[]> => {
  const deltas: string[] = []
  for await (const delta of streamAnswer(provider, userId, prompt)) deltas.push(delta)
  return deltas
}

const fast = { firstTokenMs: 0, tokenDelayMs: 0 }

/** What the fake recorded of each of the user's requests: its outcome and the tokens it sent. */
const outcomes = async (userId: string) => (await control.requests(userId)).map((r) => [r.outcome, r.tokensSent])

type ScriptedFailure = NonNullable<ScenarioInput['failure']>
/** A failure is read three ways: through the SDK streamed, as the raw stream, and not streamed. */
const FAILURE_READS = 3

/** Scripts the same five-word answer failing with `failure` for each of the three reads. */
const scriptFailureForEachRead = async (provider: Provider, userId: string, failure: ScriptedFailure) => {
  for (let read = 0; read < FAILURE_READS; read++) await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure })
}

/** The fake's record of the three reads: the failure played, after its tokens, each time. */
const playedOnEachRead = ({ kind, afterTokens }: ScriptedFailure) => Array.from({ length: FAILURE_READS }, () => [kind, afterTokens])

/**
 * Each test scripts the fake as its own user, so the tests can run in parallel against one fake; the random part
 * keeps a rerun against the same (long-lived) fake from seeing an earlier run's records.
 */
const test = base.extend<{ userId: string }>({
  userId: async ({}, use, testInfo) => {
    const userId = `fake-llm-${testInfo.testId.slice(-12)}-${randomUUID().slice(0, 8)}`
    await use(userId)
    await control.clear(userId)
  },
})

test('GET /health answers ok', async () => {
  const response = await fetch(`${FAKE_LLM_URL}/health`)
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ status: 'ok' })
})

for (const provider of PROVIDERS) {
  test.describe(`${provider} SDK`, () => {
    test('default answer: streamed equals not streamed, the same every time, 20 to 40 tokens', async ({ userId }) => {
      const prompt = `What is streaming? (${provider})`
      const [deltas, again, whole] = await Promise.all([readAll(provider, userId, prompt), readAll(provider, userId, prompt), ask(provider, userId, prompt)])
      expect(deltas.length).toBeGreaterThanOrEqual(20)
      expect(deltas.length).toBeLessThanOrEqual(40)
      expect(again).toEqual(deltas)
      expect(whole).toBe(deltas.join(''))
      expect(await ask(provider, userId, 'Another question entirely')).not.toBe(whole)
    })

    test('scripted reply with markup and newlines joins back exactly, split at word boundaries', async ({ userId }) => {
      const reply = '# Title\n\n<b>Bold</b> & "quoted" `code`\n- item one\n  - nested\ndata: [DONE]\n\n```ts\nconst x = 1\n```\n  trailing  '
      await control.script({ userId, provider, reply, ...fast })
      await control.script({ userId, provider, reply: 'Hello big world', ...fast })
      await control.script({ userId, provider, tokens: ['Hel', 'lo', ' wor', 'ld!'], ...fast })

      const deltas = await readAll(provider, userId, 'markup please')
      expect(deltas.join('')).toBe(reply)
      expect(deltas.slice(0, 4)).toEqual(['#', ' Title', '\n\n<b>Bold</b>', ' &'])
      expect(await readAll(provider, userId, 'hello')).toEqual(['Hello', ' big', ' world'])
      expect(await readAll(provider, userId, 'explicit tokens')).toEqual(['Hel', 'lo', ' wor', 'ld!'])
    })

    test('disconnect: exactly N deltas, then a connection error', async ({ userId }) => {
      await control.script({ userId, provider, reply: 'one two three four five six seven', ...fast, failure: { kind: 'disconnect', afterTokens: 3 } })
      await control.script({ userId, provider, reply: 'never sent', failure: { kind: 'disconnect', afterTokens: 0 } })

      const reading = new Reading(provider, userId, 'drop me')
      const { error } = await reading.ended
      expect(reading.deltas).toEqual(['one', ' two', ' three'])
      expect(error).toBeInstanceOf(Error)
      // A broken body, not an HTTP answer: no status (the fetch body dies with "terminated").
      expect((error as { status?: number }).status).toBeUndefined()
      expect(String((error as Error).message)).toMatch(/terminated|other side closed|socket|reset|connection/i)

      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      const whole = await errorOf(ask(provider, userId, 'drop me too'))
      expect(whole).toBeInstanceOf(sdk.APIConnectionError)

      await expect.poll(() => outcomes(userId)).toEqual([
        ['disconnect', 3],
        ['disconnect', 0],
      ])
      expect((await control.logs(userId)).filter((line) => line.includes('→ disconnect after 3'))).toHaveLength(1)
    })

    test('http_500: the SDK throws InternalServerError, streamed or not', async ({ userId }) => {
      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      await control.script({ userId, provider, failure: { kind: 'http_500', afterTokens: 0 } })
      await control.script({ userId, provider, failure: { kind: 'http_500', afterTokens: 0 } })

      const streamed = await errorOf(readAll(provider, userId, 'fail'))
      expect(streamed).toBeInstanceOf(sdk.InternalServerError)
      expect(streamed).toMatchObject({ status: 500 })
      const whole = await errorOf(ask(provider, userId, 'fail'))
      expect(whole).toBeInstanceOf(sdk.InternalServerError)
      if (provider === 'anthropic') expect(whole).toMatchObject({ type: 'api_error' })
      else expect(whole).toMatchObject({ type: 'server_error' })
      expect((await control.requests(userId)).map((r) => r.outcome)).toEqual(['http_500', 'http_500'])
    })

    test('http_429: the SDK throws RateLimitError, with retry-after', async ({ userId }) => {
      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      await control.script({ userId, provider, failure: { kind: 'http_429', afterTokens: 0 } })

      const error = await errorOf(readAll(provider, userId, 'too fast'))
      expect(error).toBeInstanceOf(sdk.RateLimitError)
      expect(error).toMatchObject({ status: 429 })
      expect((error as InstanceType<typeof sdk.RateLimitError>).headers?.get('retry-after')).toBe('1')
      if (provider === 'anthropic') expect(error).toMatchObject({ type: 'rate_limit_error' })
      else expect(error).toMatchObject({ code: 'rate_limit_exceeded' })
    })

    test('http error after N tokens: N deltas, then the SDK throws an in-stream APIError', async ({ userId }) => {
      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      await control.script({ userId, provider, reply: 'a b c d e', ...fast, failure: { kind: 'http_500', afterTokens: 2 } })

      const reading = new Reading(provider, userId, 'fail midway')
      const { error } = await reading.ended
      expect(reading.deltas).toEqual(['a', ' b'])
      expect(error).toBeInstanceOf(sdk.APIError)
      expect(String((error as Error).message)).toContain('Internal server error')
      if (provider === 'anthropic') expect(error).toMatchObject({ type: 'api_error' })
    })

    test('stall: N deltas, then nothing while the socket stays open, until the client aborts', async ({ userId }) => {
      await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure: { kind: 'stall', afterTokens: 2 } })

      const reading = new Reading(provider, userId, 'stall please')
      await expect.poll(() => reading.deltas.length).toBe(2)
      expect(await reading.staysQuietFor(500)).toBe(true)
      await expect.poll(async () => (await control.requests(userId))[0]?.outcome).toBe('stall')

      reading.controller.abort()
      // The SDKs end an aborted stream quietly.
      expect(await reading.ended).toEqual({})
      expect(reading.deltas).toEqual(['one', ' two'])
    })

    test('truncated: N deltas, then the stream ends cleanly with no finish reason and no final event', async ({ userId }) => {
      const truncated = { kind: 'truncated', afterTokens: 3 } as const
      await scriptFailureForEachRead(provider, userId, truncated)

      // The SDK sees nothing wrong: no error, only the missing end tells.
      expect(await readEnding(provider, userId, 'cut me short')).toEqual({ deltas: ['one', ' two', ' three'], finishes: [], error: undefined })
      const raw = await rawStream(provider, userId, 'cut me short')
      expect(raw).toContain('three')
      expect(raw).not.toContain(WIRE_ENDS[provider].finalEvent)
      // Not streamed: a body that ends cleanly halfway through its JSON.
      expect(await errorOf(ask(provider, userId, 'cut me short'))).toBeInstanceOf(SyntaxError)
      await expect.poll(() => outcomes(userId)).toEqual(playedOnEachRead(truncated))
    })

    test('malformed: N deltas, then an unparseable chunk the SDK throws on, though the stream ends well-formed', async ({ userId }) => {
      const malformed = { kind: 'malformed', afterTokens: 2 } as const
      await scriptFailureForEachRead(provider, userId, malformed)

      const { deltas, error } = await readEnding(provider, userId, 'garble it')
      expect(deltas).toEqual(['one', ' two'])
      expect(error).toBeInstanceOf(SyntaxError)
      const raw = await rawStream(provider, userId, 'garble it')
      expect(raw).toContain(WIRE_ENDS[provider].finalEvent)
      expect(raw).not.toContain('three')
      // Not streamed: a 200 whose body is not JSON.
      expect(await errorOf(ask(provider, userId, 'garble it'))).toBeInstanceOf(SyntaxError)
      await expect.poll(() => outcomes(userId)).toEqual(playedOnEachRead(malformed))
    })

    test('length: N deltas and a well-formed end whose finish reason says the answer was cut off, streamed or not', async ({ userId }) => {
      await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure: { kind: 'length', afterTokens: 3 } })
      await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure: { kind: 'length', afterTokens: 3 } })
      await control.script({ userId, provider, reply: 'one two three four five', ...fast })

      const { length, stop, finalEvent } = WIRE_ENDS[provider]
      expect(await readEnding(provider, userId, 'say a lot')).toEqual({ deltas: ['one', ' two', ' three'], finishes: [length], error: undefined })
      expect(await askWhole(provider, userId, 'say a lot')).toEqual({ text: 'one two three', finish: length })
      expect(await readEnding(provider, userId, 'say a lot')).toMatchObject({ finishes: [stop], error: undefined })
      expect(await rawStream(provider, userId, 'default answer, ended well')).toContain(finalEvent)
      expect(await outcomes(userId)).toEqual([
        ['length', 3],
        ['length', 3],
        ['complete', 5],
        ['complete', expect.any(Number)],
      ])
    })

    test("overloaded before any token: the provider's overload status and error type, streamed or not", async ({ userId }) => {
      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      const { status, type } = WIRE_ENDS[provider].overloaded
      await control.script({ userId, provider, failure: { kind: 'overloaded', afterTokens: 0 } })
      await control.script({ userId, provider, failure: { kind: 'overloaded', afterTokens: 0 } })

      for (const error of [await errorOf(readAll(provider, userId, 'busy?')), await errorOf(ask(provider, userId, 'busy?'))]) {
        // Anthropic's 529 is its OverloadedError, an InternalServerError; OpenAI's 503 an InternalServerError.
        expect(error).toBeInstanceOf(provider === 'anthropic' ? anthropicSdk.OverloadedError : sdk.InternalServerError)
        expect(error).toMatchObject({ status, type })
      }
      expect((await control.requests(userId)).map((r) => r.outcome)).toEqual(['overloaded', 'overloaded'])
    })

    test('overloaded after N tokens: N deltas, then the in-stream overload error event; not streamed, the HTTP error', async ({ userId }) => {
      const { status, type, frame } = WIRE_ENDS[provider].overloaded
      const overloaded = { kind: 'overloaded', afterTokens: 2 } as const
      await scriptFailureForEachRead(provider, userId, overloaded)

      const { deltas, finishes, error } = await readEnding(provider, userId, 'busy midway')
      expect({ deltas, finishes }).toEqual({ deltas: ['one', ' two'], finishes: [] })
      expect(error).toBeInstanceOf((provider === 'openai' ? openaiSdk : anthropicSdk).APIError)
      // An error event in a 200 stream: no HTTP status, the provider's error type.
      expect(error).toMatchObject({ status: undefined, type })
      const raw = await rawStream(provider, userId, 'busy midway')
      expect(raw).toContain(frame)
      expect(raw.endsWith(frame)).toBe(true)
      expect(await errorOf(ask(provider, userId, 'busy midway'))).toMatchObject({ status, type })
      await expect.poll(() => outcomes(userId)).toEqual(playedOnEachRead(overloaded))
    })

    test("api_error: N deltas (even none), then the provider's in-stream error event; not streamed, a 500", async ({ userId }) => {
      const sdk = provider === 'openai' ? openaiSdk : anthropicSdk
      const { type, frame } = WIRE_ENDS[provider].apiError
      const reply = 'one two three four five'
      await control.script({ userId, provider, reply, ...fast, failure: { kind: 'api_error', afterTokens: 3 } })
      await control.script({ userId, provider, reply, ...fast, failure: { kind: 'api_error', afterTokens: 0 } })
      await control.script({ userId, provider, reply, ...fast, failure: { kind: 'api_error', afterTokens: 3 } })
      await control.script({ userId, provider, reply, ...fast, failure: { kind: 'api_error', afterTokens: 3 } })

      const midway = await readEnding(provider, userId, 'err')
      expect(midway.deltas).toEqual(['one', ' two', ' three'])
      expect(midway.error).toBeInstanceOf(sdk.APIError)
      expect(midway.error).toMatchObject({ status: undefined, type })
      // After 0 tokens still a 200 stream whose first event after the start is the error.
      const first = await readEnding(provider, userId, 'err')
      expect(first.deltas).toEqual([])
      expect(first.error).toMatchObject({ status: undefined, type })
      expect((await rawStream(provider, userId, 'err')).endsWith(frame)).toBe(true)
      const whole = await errorOf(ask(provider, userId, 'err'))
      expect(whole).toBeInstanceOf(sdk.InternalServerError)
      expect(whole).toMatchObject({ status: 500, type })
      await expect.poll(() => outcomes(userId)).toEqual([
        ['api_error', 3],
        ['api_error', 0],
        ['api_error', 3],
        ['api_error', 3],
      ])
    })

    test('tool_call: N deltas, then a tool call the SDK assembles and the tool-call finish reason, streamed or not', async ({ userId }) => {
      const { toolCall } = WIRE_ENDS[provider]
      const reply = 'one two three four five'
      for (const afterTokens of [2, 2, 2, 0]) await control.script({ userId, provider, reply, ...fast, failure: { kind: 'tool_call', afterTokens } })

      expect(await readEnding(provider, userId, 'weather?')).toEqual({ deltas: ['one', ' two'], finishes: [toolCall], error: undefined })
      expect(await askWithTools(provider, userId, 'weather?', true)).toEqual({ text: 'one two', finish: toolCall, tools: [SCRIPTED_TOOL] })
      expect(await askWithTools(provider, userId, 'weather?', false)).toEqual({ text: 'one two', finish: toolCall, tools: [SCRIPTED_TOOL] })
      // No text at all: OpenAI's content is null, Anthropic's only block is the tool_use.
      expect(await askWithTools(provider, userId, 'weather?', true)).toEqual({ text: '', finish: toolCall, tools: [SCRIPTED_TOOL] })
      await expect.poll(() => outcomes(userId)).toEqual([
        ['tool_call', 2],
        ['tool_call', 2],
        ['tool_call', 2],
        ['tool_call', 0],
      ])
    })

    test('content_filter: N deltas and a well-formed content_filter end where the provider has one, else refused at script time', async ({ userId }) => {
      const { contentFilter } = WIRE_ENDS[provider]
      const failure = { kind: 'content_filter', afterTokens: 3 } as const
      if (contentFilter === null) {
        const refused = await controlPost('/__scenarios', { userId, provider, reply: 'one two three four', failure })
        expect(refused).toEqual({ status: 400, body: { error: expect.stringContaining(`${provider} has no content_filter ending`) } })
        expect(await control.pending(userId)).toEqual([])
        return
      }
      await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure })
      await control.script({ userId, provider, reply: 'one two three four five', ...fast, failure })
      expect(await readEnding(provider, userId, 'filtered')).toEqual({ deltas: ['one', ' two', ' three'], finishes: [contentFilter], error: undefined })
      expect(await askWhole(provider, userId, 'filtered')).toEqual({ text: 'one two three', finish: contentFilter })
      expect(await outcomes(userId)).toEqual([
        ['content_filter', 3],
        ['content_filter', 3],
      ])
    })

    test('refusal: N deltas (or no text at all) and a well-formed refusal end where the provider has one, else refused at script time', async ({ userId }) => {
      const { refusal } = WIRE_ENDS[provider]
      if (refusal === null) {
        const refused = await controlPost('/__scenarios', { userId, provider, failure: { kind: 'refusal', afterTokens: 0 } })
        expect(refused).toEqual({ status: 400, body: { error: expect.stringContaining(`${provider} has no refusal ending`) } })
        expect(await control.pending(userId)).toEqual([])
        return
      }
      const reply = 'one two three four five'
      for (const afterTokens of [2, 0, 0, 2, 0]) await control.script({ userId, provider, reply, ...fast, failure: { kind: 'refusal', afterTokens } })

      expect(await readEnding(provider, userId, 'refuse')).toEqual({ deltas: ['one', ' two'], finishes: [refusal], error: undefined })
      expect(await readEnding(provider, userId, 'refuse')).toEqual({ deltas: [], finishes: [refusal], error: undefined })
      // No text at all: not even an empty text block.
      const raw = await rawStream(provider, userId, 'refuse')
      expect(raw).not.toContain('content_block_start')
      expect(raw).toContain(WIRE_ENDS[provider].finalEvent)
      expect(await askWhole(provider, userId, 'refuse')).toEqual({ text: 'one two', finish: refusal })
      const none = await anthropic.messages.create({ model: 'claude-test', max_tokens: 64, metadata: { user_id: userId }, messages: [{ role: 'user', content: 'refuse' }] })
      expect({ content: none.content, stop: none.stop_reason }).toEqual({ content: [], stop: refusal })
    })

    test("replay: the SDK reads the recording's text; the stream is the file's chunks as the provider frames them", async ({ userId }) => {
      const file = OWN_RECORDINGS[provider]
      const text = recordedText(provider, file)
      expect(text.length).toBeGreaterThan(10)
      await control.replay({ userId, provider, file, tokenDelayMs: 0 })
      await control.replay({ userId, provider, file, tokenDelayMs: 0 })

      expect((await readAll(provider, userId, 'replay please')).join('')).toBe(text)
      const lines = readFileSync(path.join(RECORDINGS, file), 'utf8').split('\n').filter((line) => line.trim())
      const events = sseEvents(await rawStream(provider, userId, 'replay again'))
      if (provider === 'openai') expect(events).toEqual([...lines.map((data) => ({ event: null, data })), { event: null, data: '[DONE]' }])
      else expect(events).toEqual(lines.map((data) => ({ event: JSON.parse(data).type, data })))
      expect(await outcomes(userId)).toEqual([
        ['complete', lines.length],
        ['complete', lines.length],
      ])
    })

    test('client abort mid-stream is recorded as aborted', async ({ userId }) => {
      await control.script({ userId, provider, reply: 'one two three four five six', gated: true, ...fast })
      await control.release(userId, 2)

      const reading = new Reading(provider, userId, 'leave early')
      await expect.poll(() => reading.deltas.length).toBe(2)
      reading.controller.abort()
      await reading.ended
      await expect.poll(async () => (await control.requests(userId))[0]).toMatchObject({ outcome: 'aborted', tokensSent: 2 })
      expect((await control.logs(userId)).some((line) => line.includes('→ aborted after 2'))).toBe(true)
    })

    test('gating: release 3 gives exactly 3 deltas, releasing the rest completes the answer', async ({ userId }) => {
      const reply = 'w1 w2 w3 w4 w5 w6 w7 w8 w9 w10'
      await control.script({ userId, provider, reply, gated: true, ...fast })

      const reading = new Reading(provider, userId, 'gated')
      await expect.poll(async () => (await control.requests(userId)).length).toBe(1)
      expect(await reading.staysQuietFor(300)).toBe(true)
      expect(reading.deltas).toEqual([])

      expect(await control.release(userId, 3)).toEqual({ released: 3 })
      await expect.poll(() => reading.deltas.length).toBe(3)
      expect(await reading.staysQuietFor(300)).toBe(true)
      expect(reading.deltas).toEqual(['w1', ' w2', ' w3'])
      expect((await control.requests(userId))[0]).toMatchObject({ outcome: 'pending', tokensSent: 3 })

      expect(await control.release(userId)).toEqual({ released: 7, ungated: 0 })
      expect(await reading.ended).toEqual({})
      expect(reading.text).toBe(reply)
    })

    test('gating: credit given before the answer starts is kept; release-all before it starts ungates it', async ({ userId }) => {
      await control.script({ userId, provider, reply: 'a b c d e f', gated: true, ...fast })
      await control.script({ userId, provider, reply: 'later gated answer', gated: true, ...fast })
      await control.release(userId, 2)

      const first = new Reading(provider, userId, 'pre-released')
      await expect.poll(() => first.deltas.length).toBe(2)
      expect(await first.staysQuietFor(300)).toBe(true)
      expect(await control.release(userId)).toEqual({ released: 4, ungated: 1 })
      await first.ended
      expect(first.text).toBe('a b c d e f')

      expect(await readAll(provider, userId, 'ungated by release-all')).toEqual(['later', ' gated', ' answer'])
    })
  })
}

test('scenarios queue per user and provider, consumed in order, then the default answer', async ({ userId }) => {
  expect(await control.script({ userId, provider: 'openai', reply: 'first', ...fast })).toEqual({ queued: 1 })
  expect(await control.script({ userId, provider: 'openai', reply: 'second', ...fast })).toEqual({ queued: 2 })
  expect(await control.script({ userId, provider: 'anthropic', reply: 'claude first', ...fast })).toEqual({ queued: 1 })
  expect(await control.script({ userId, provider: 'openai', reply: 'third', ...fast })).toEqual({ queued: 3 })

  expect(await ask('anthropic', userId, 'q')).toBe('claude first')
  expect(await ask('openai', userId, 'q')).toBe('first')
  expect((await readAll('openai', userId, 'q')).join('')).toBe('second')
  expect(await ask('openai', userId, 'q')).toBe('third')
  const fallback = await ask('openai', userId, 'q')
  expect(fallback).toBe(await ask('openai', `${userId}-other`, 'q'))
  expect(fallback).not.toBe(await ask('anthropic', userId, 'q'))
})

test('GET /__requests lists what the fake received for the user', async ({ userId }) => {
  await control.script({ userId, provider: 'anthropic', reply: 'scripted', ...fast })
  await readAll('anthropic', userId, 'streamed question')
  await ask('openai', userId, 'whole question')

  const requests = await control.requests(userId)
  expect(requests).toEqual([
    {
      provider: 'anthropic',
      userId,
      prompt: 'streamed question',
      messages: [{ role: 'user', content: 'streamed question' }],
      stream: true,
      model: 'claude-test',
      receivedAt: expect.any(String),
      outcome: 'complete',
      tokensSent: 1,
    },
    {
      provider: 'openai',
      userId,
      prompt: 'whole question',
      messages: [{ role: 'user', content: 'whole question' }],
      stream: false,
      model: 'gpt-test',
      receivedAt: expect.any(String),
      outcome: 'complete',
      tokensSent: expect.any(Number),
    },
  ])
  expect(Date.parse(requests[0]!.receivedAt)).toBeLessThanOrEqual(Date.parse(requests[1]!.receivedAt))
  const logs = await control.logs(userId)
  expect(logs.length).toBeGreaterThanOrEqual(2)
  for (const line of logs) expect(line).toContain(`user=${userId}`)
  expect(logs.join('\n')).toContain('provider=anthropic stream=true scenario=scripted tokens=1 → complete')
})

test('the prompt is the last user message, string or text parts; the whole messages are kept as received', async ({ userId }) => {
  const messages: Parameters<typeof openai.chat.completions.create>[0]['messages'] = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'earlier question' },
    { role: 'assistant', content: 'earlier answer' },
    { role: 'user', content: [{ type: 'text', text: 'latest ' }, { type: 'text', text: 'question' }] },
  ]
  await openai.chat.completions.create({ model: 'gpt-test', user: userId, messages })
  const [request] = await control.requests(userId)
  expect(request?.prompt).toBe('latest question')
  expect(request?.messages).toEqual(messages)
  expect(request).not.toHaveProperty('system')
})

test("Anthropic's system and messages are kept as received", async ({ userId }) => {
  const system = [{ type: 'text' as const, text: 'be brief' }]
  const messages = [
    { role: 'user' as const, content: 'earlier question' },
    { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'earlier answer' }] },
    { role: 'user' as const, content: 'latest question' },
  ]
  await anthropic.messages.create({ model: 'claude-test', max_tokens: 64, metadata: { user_id: userId }, system, messages })
  expect(await control.requests(userId)).toEqual([expect.objectContaining({ provider: 'anthropic', prompt: 'latest question', system, messages })])
})

test('GET /__scenarios lists the scenarios no request consumed yet; DELETE clears them', async ({ userId }) => {
  await control.script({ userId, provider: 'openai', reply: 'used', ...fast })
  await control.script({ userId, provider: 'openai', reply: 'left over' })
  await control.script({ userId, provider: 'anthropic', tokens: ['never', ' asked'], failure: { kind: 'stall', afterTokens: 1 } })
  await ask('openai', userId, 'q')

  expect(await control.pending(userId)).toEqual([
    { userId, provider: 'openai', reply: 'left over' },
    { userId, provider: 'anthropic', tokens: ['never', ' asked'], failure: { kind: 'stall', afterTokens: 1 } },
  ])
  expect(await control.pending(`${userId}-other`)).toEqual([])
  await control.clear(userId)
  expect(await control.pending(userId)).toEqual([])
})

test('users are isolated: scripts, gate credit and records of one user never reach another', async ({ userId }) => {
  const ann = `${userId}-ann`
  const bob = `${userId}-bob`
  try {
    await control.script({ userId: ann, provider: 'openai', reply: 'for ann only', gated: true, ...fast })
    await control.script({ userId: bob, provider: 'openai', reply: 'for bob only', gated: true, ...fast })
    const annReading = new Reading('openai', ann, 'hi')
    const bobReading = new Reading('openai', bob, 'hi')

    await control.release(ann)
    expect(await annReading.ended).toEqual({})
    expect(annReading.text).toBe('for ann only')
    expect(await bobReading.staysQuietFor(300)).toBe(true)
    expect(bobReading.deltas).toEqual([])

    await control.release(bob, 10)
    expect(await bobReading.ended).toEqual({})
    expect(bobReading.text).toBe('for bob only')
    expect((await control.requests(ann)).map((r) => r.userId)).toEqual([ann])
    expect((await control.requests(bob)).map((r) => r.userId)).toEqual([bob])
    expect((await control.logs(ann)).every((line) => line.includes(`user=${ann}`))).toBe(true)
  } finally {
    await Promise.all([control.clear(ann), control.clear(bob)])
  }
})

test('without an API key both endpoints answer 401 in the provider shape', async ({ userId }) => {
  const noKeyOpenai = new openaiSdk.OpenAI({ baseURL: `${FAKE_LLM_URL}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: { Authorization: null } })
  const noKeyAnthropic = new anthropicSdk.Anthropic({ baseURL: FAKE_LLM_URL, apiKey: 'unused', maxRetries: 0, defaultHeaders: { Authorization: null, 'X-Api-Key': null } })

  const openaiError = await errorOf(noKeyOpenai.chat.completions.create({ model: 'gpt-test', user: userId, messages: [{ role: 'user', content: 'q' }] }))
  expect(openaiError).toBeInstanceOf(openaiSdk.AuthenticationError)
  expect(openaiError).toMatchObject({ status: 401, type: 'invalid_request_error', code: 'invalid_api_key' })

  const anthropicError = await errorOf(
    noKeyAnthropic.messages.create({ model: 'claude-test', max_tokens: 10, metadata: { user_id: userId }, messages: [{ role: 'user', content: 'q' }] }),
  )
  expect(anthropicError).toBeInstanceOf(anthropicSdk.AuthenticationError)
  expect(anthropicError).toMatchObject({ status: 401, type: 'authentication_error' })

  expect(await control.requests(userId)).toEqual([])
})

test('POST /__scenarios rejects bad input with a 400 JSON answer', async ({ userId }) => {
  for (const body of [
    { userId, provider: 'gemini', reply: 'x' },
    { provider: 'openai', reply: 'x' },
    { userId, provider: 'openai', failure: { kind: 'explode', afterTokens: 0 } },
    { userId, provider: 'openai', failure: { kind: 'stall', afterTokens: -1 } },
    // What a provider never streams: Anthropic has no content filter ending, OpenAI's refusal is structured outputs'.
    { userId, provider: 'anthropic', failure: { kind: 'content_filter', afterTokens: 1 } },
    { userId, provider: 'openai', failure: { kind: 'refusal', afterTokens: 0 } },
    { userId, provider: 'openai', thinking: 'hmm' },
    { userId, provider: 'openai', textBlocks: 2 },
    { userId, provider: 'openai', pings: true },
    { userId, provider: 'anthropic', textBlocks: 0 },
  ]) {
    const response = await fetch(`${FAKE_LLM_URL}/__scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CONTROL_TOKEN}` },
      body: JSON.stringify(body),
    })
    expect(response.status, JSON.stringify(body)).toBe(400)
    expect(await response.json()).toEqual({ error: expect.any(String) })
  }
  expect(await control.pending(userId)).toEqual([])
})

test('the control API answers only its token holder, and only JSON', async ({ userId }) => {
  const scenario = JSON.stringify({ userId, provider: 'openai', reply: 'planted' })
  const attempts: { headers: Record<string, string>; status: number }[] = [
    { headers: { 'content-type': 'application/json' }, status: 401 },
    { headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' }, status: 401 },
    { headers: { 'content-type': 'text/plain', authorization: `Bearer ${CONTROL_TOKEN}` }, status: 415 },
  ]
  for (const attempt of attempts) {
    const response = await fetch(`${FAKE_LLM_URL}/__scenarios`, { method: 'POST', headers: attempt.headers, body: scenario })
    expect(response.status, JSON.stringify(attempt.headers)).toBe(attempt.status)
  }
  expect((await fetch(`${FAKE_LLM_URL}/__requests?userId=${userId}`)).status).toBe(401)
  expect(await control.pending(userId)).toEqual([])
})

test('Anthropic thinking: a thinking block (thinking_delta, then signature_delta) before the text, streamed or not', async ({ userId }) => {
  const thinking = 'The user wants a greeting. Keep it short.'
  const reply = 'Hello there, friend'
  for (let i = 0; i < 3; i++) await control.script({ userId, provider: 'anthropic', reply, thinking, ...fast })
  const params = { model: 'claude-test', max_tokens: 256, metadata: { user_id: userId }, messages: [{ role: 'user' as const, content: 'hi' }] }

  const streamed = await anthropic.messages.stream(params).finalMessage()
  expect(streamed.content).toEqual([
    { type: 'thinking', thinking, signature: expect.stringMatching(/.+/) },
    expect.objectContaining({ type: 'text', text: reply }),
  ])
  const events: string[] = []
  for await (const event of await anthropic.messages.create({ ...params, stream: true })) {
    if (event.type === 'content_block_start') events.push(`start ${event.index} ${event.content_block.type}`)
    if (event.type === 'content_block_delta') events.push(`delta ${event.index} ${event.delta.type}`)
    if (event.type === 'content_block_stop') events.push(`stop ${event.index}`)
  }
  expect([...new Set(events)]).toEqual([
    'start 0 thinking',
    'delta 0 thinking_delta',
    'delta 0 signature_delta',
    'stop 0',
    'start 1 text',
    'delta 1 text_delta',
    'stop 1',
  ])
  const whole = await anthropic.messages.create(params)
  expect(whole.content).toEqual([
    { type: 'thinking', thinking, signature: expect.stringMatching(/.+/) },
    { type: 'text', text: reply },
  ])
})

test('Anthropic textBlocks: the reply split over N text blocks that join back exactly, streamed or not', async ({ userId }) => {
  const reply = 'a b c d e f'
  await control.script({ userId, provider: 'anthropic', reply, textBlocks: 3, ...fast })
  await control.script({ userId, provider: 'anthropic', reply, textBlocks: 3, ...fast })
  await control.script({ userId, provider: 'anthropic', reply, textBlocks: 3, ...fast })
  const params = { model: 'claude-test', max_tokens: 256, metadata: { user_id: userId }, messages: [{ role: 'user' as const, content: 'split' }] }

  const blocks = (content: { type: string; text?: string }[]) => content.map((block) => [block.type, block.text])
  const expected = [
    ['text', 'a b'],
    ['text', ' c d'],
    ['text', ' e f'],
  ]
  expect(blocks((await anthropic.messages.stream(params).finalMessage()).content)).toEqual(expected)
  expect(blocks((await anthropic.messages.create(params)).content)).toEqual(expected)
  expect((await readAll('anthropic', userId, 'split')).join('')).toBe(reply)
})

test('Anthropic pings: an event: ping between any two events, which the SDK skips', async ({ userId }) => {
  const reply = 'one two three'
  await control.script({ userId, provider: 'anthropic', reply, pings: true, ...fast })
  await control.script({ userId, provider: 'anthropic', reply, pings: true, ...fast })

  const events = sseEvents(await rawStream('anthropic', userId, 'ping me')).map(({ event }) => event)
  expect(events.filter((_, i) => i % 2 === 1).every((event) => event === 'ping')).toBe(true)
  expect(events.filter((_, i) => i % 2 === 0)).toEqual([
    'message_start',
    'content_block_start',
    'content_block_delta',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'message_delta',
    'message_stop',
  ])
  expect((await readAll('anthropic', userId, 'ping me')).join('')).toBe(reply)
})

test('OpenAI include_usage: every chunk carries usage: null, then a last chunk with no choices carries the usage', async ({ userId }) => {
  await control.script({ userId, provider: 'openai', reply: 'one two three', ...fast })
  const stream = await openai.chat.completions.create({
    model: 'gpt-test',
    user: userId,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'count me' }],
  })
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk)
  const last = chunks.at(-1)!
  expect(last.choices).toEqual([])
  expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 })
  for (const chunk of chunks.slice(0, -1)) expect(chunk).toHaveProperty('usage', null)
  expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('')).toBe('one two three')
  expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
})

test('replays queue with scenarios, in order, paced by tokenDelayMs; a request not streamed is refused', async ({ userId }) => {
  const file = OWN_RECORDINGS.openai
  const chunkCount = readFileSync(path.join(RECORDINGS, file), 'utf8').trim().split('\n').length
  expect(await control.script({ userId, provider: 'openai', reply: 'scripted first', ...fast })).toEqual({ queued: 1 })
  expect(await control.replay({ userId, provider: 'openai', file, tokenDelayMs: 60 })).toEqual({ queued: 2 })
  expect(await control.script({ userId, provider: 'openai', reply: 'scripted last', ...fast })).toEqual({ queued: 3 })
  await control.replay({ userId, provider: 'openai', file })
  expect(await control.pending(userId)).toEqual([
    { userId, provider: 'openai', reply: 'scripted first', ...fast },
    { userId, provider: 'openai', file, tokenDelayMs: 60 },
    { userId, provider: 'openai', reply: 'scripted last', ...fast },
    { userId, provider: 'openai', file },
  ])

  expect((await readAll('openai', userId, 'q')).join('')).toBe('scripted first')
  const started = performance.now()
  expect((await readAll('openai', userId, 'q')).join('')).toBe(recordedText('openai', file))
  expect(performance.now() - started).toBeGreaterThanOrEqual((chunkCount - 1) * 60 * 0.9)
  expect((await readAll('openai', userId, 'q')).join('')).toBe('scripted last')
  const refused = await errorOf(ask('openai', userId, 'not streamed'))
  expect(refused).toBeInstanceOf(openaiSdk.BadRequestError)
  expect(String((refused as Error).message)).toContain('streamed requests only')
  expect(await control.pending(userId)).toEqual([])
})

test('POST /__replays refuses a file outside fixtures/recordings/, missing, or not one JSON object a line (400)', async ({ userId }) => {
  for (const file of [
    '../fake-llm/package.json',
    'fake/../../../package.json',
    '..',
    '/etc/passwd',
    path.join(RECORDINGS, OWN_RECORDINGS.openai),
    'C:\\recordings\\x.jsonl',
    'fake/no-such-recording.jsonl',
    'SOURCES.md',
    'fake',
    '',
  ]) {
    const answer = await controlPost('/__replays', { userId, provider: 'openai', file })
    expect(answer, file).toEqual({ status: 400, body: { error: expect.stringContaining('file') } })
  }
  expect((await controlPost('/__replays', { userId, provider: 'gemini', file: OWN_RECORDINGS.openai })).status).toBe(400)
  expect(await control.pending(userId)).toEqual([])
})

test('record mode: a second fake forwards to this one, streams back unchanged, and its recording replays to the same text', async ({ userId }) => {
  test.setTimeout(60_000)
  const port = Number(process.env.RECORD_SPEC_PORT ?? 4599)
  const recorder = spawn(process.execPath, ['--import', 'tsx', 'scripts/record.ts'], {
    cwd: ROOT,
    env: { ...process.env, RECORD_PORT: String(port), RECORD_UPSTREAM_OPENAI: `${FAKE_LLM_URL}/v1`, RECORD_UPSTREAM_ANTHROPIC: FAKE_LLM_URL },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  recorder.stdout.on('data', (data: Buffer) => (output += data.toString()))
  recorder.stderr.on('data', (data: Buffer) => (output += data.toString()))
  const saved: string[] = []
  try {
    await expect.poll(() => output, { timeout: 20_000 }).toContain('[fake-llm] recording on')
    const viaRecorder = {
      openai: new openaiSdk.OpenAI({ baseURL: `http://localhost:${port}/v1`, apiKey: 'recorded-key', maxRetries: 0 }),
      anthropic: new anthropicSdk.Anthropic({ baseURL: `http://localhost:${port}`, apiKey: 'recorded-key', maxRetries: 0 }),
    }
    for (const provider of PROVIDERS) {
      const reply = `Recorded through the proxy, ${provider}: **bold** and\nnew lines.`
      await control.script({ userId, provider, reply, ...fast })

      const deltas: string[] = []
      if (provider === 'openai') {
        const stream = await viaRecorder.openai.chat.completions.create({ model: 'gpt-test', user: userId, stream: true, messages: [{ role: 'user', content: 'record me' }] })
        for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '')
      } else {
        const stream = await viaRecorder.anthropic.messages.create({
          model: 'claude-test',
          max_tokens: 256,
          stream: true,
          metadata: { user_id: userId },
          messages: [{ role: 'user', content: 'record me' }],
        })
        for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text)
      }
      expect(deltas.join('')).toBe(reply)

      const pattern = new RegExp(`recorded ${provider} → (${provider}-[0-9TZ-]+\\.jsonl) \\((\\d+) chunks\\)`)
      await expect.poll(() => pattern.exec(output)?.[1]).toBeTruthy()
      const file = pattern.exec(output)![1]!
      saved.push(file)
      expect(recordedText(provider, file)).toBe(reply)

      const replayUser = `${userId}-replay`
      try {
        await control.replay({ userId: replayUser, provider, file, tokenDelayMs: 0 })
        expect((await readAll(provider, replayUser, 'replay the recording')).join('')).toBe(reply)
      } finally {
        await control.clear(replayUser)
      }
    }
    // The upstream (the stack's fake) answered the caller's requests: their API key was passed on (else a 401).
    expect((await control.requests(userId)).map((r) => [r.provider, r.prompt, r.outcome])).toEqual([
      ['openai', 'record me', 'complete'],
      ['anthropic', 'record me', 'complete'],
    ])
  } finally {
    recorder.kill('SIGTERM')
    for (const file of saved) rmSync(path.join(RECORDINGS, file), { force: true })
  }
})
