import { chatCompletedSchema, chatMessageSchema, type TokenEventData } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'

test.describe('POST /api/chat/stream', () => {
  test('stream: true answers 202 at once and streams ordered tokens that join to the complete content', async ({
    backend,
    fakeLlm,
    witness,
    userId,
  }) => {
    const reply = numberedReply(12)
    await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 30 })

    const accepted = await backend.accepted(await backend.postChat({ message: 'Count to twelve', stream: true }))
    expect(accepted).toEqual({ traceId: accepted.traceId, streamName: 'chat-messages', groupId: `user:${userId}` })

    const done = await witness.finished(accepted.traceId)
    expect(done.event).toMatchObject({ type: 'complete', data: { content: reply, provider: 'openai', tokenCount: 12, finishReason: 'stop' } })

    const tokens = witness
      .events(accepted.traceId)
      .filter((e): e is { type: 'token'; data: TokenEventData } => e.type === 'token')
      .map((e) => e.data)
    expect(tokens.map((t) => t.seq)).toEqual([...Array(12).keys()])
    expect(tokens.every((t) => t.provider === 'openai')).toBe(true)
    expect(tokens.map((t) => t.token).join('')).toBe(reply)

    // Spread over time, as the fake LLM paced them (11 gaps of 30 ms), not delivered in one burst.
    const arrivals = witness.received.filter((r) => r.event.type === 'token').map((r) => r.at)
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(11 * 30 * 0.6)
  })

  test('stream: false answers 200 with the whole answer', async ({ backend, fakeLlm, userId }) => {
    const reply = 'A whole answer, <b>markup</b> and all.\nSecond line.'
    await fakeLlm.script({ userId, provider: 'openai', reply })
    const response = await backend.postChat({ message: 'Answer at once', stream: false })
    expect(response.status()).toBe(200)
    const body = chatCompletedSchema.parse(await response.json())
    expect(body).toEqual({ traceId: body.traceId, content: reply, provider: 'openai', finishReason: 'stop' })
  })

  test('stream defaults to true; unknown fields are ignored', async ({ backend, witness, userId }) => {
    const { traceId } = await backend.accepted(await backend.postChat({ message: 'Default answer please', extra: 'ignored' }))
    const done = await witness.finished(traceId)
    expect(done.event.type).toBe('complete')
  })

  test('the same prompt gets the same default answer, streamed or not', async ({ backend, witness, userId }) => {
    const message = 'Tell me something deterministic'
    const whole = chatCompletedSchema.parse(await (await backend.postChat({ message, stream: false })).json())
    const { traceId } = await backend.startAnswer(message)
    const done = await witness.finished(traceId)
    expect(done.event).toMatchObject({ type: 'complete', data: { content: whole.content } })
    const words = whole.content.split(/\s+/).filter(Boolean).length
    expect(words).toBeGreaterThanOrEqual(10)
  })
})

test.describe('GET /api/chat/messages/:traceId (the polling endpoint)', () => {
  test('shows the answer so far while it streams, then the complete item', async ({ backend, fakeLlm, witness, userId }) => {
    const reply = numberedReply(10)
    await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
    const { traceId } = await backend.startAnswer('Hold on')

    await fakeLlm.release(userId, 3)
    await expect
      .poll(async () => (await (await backend.message(traceId)).json()) as unknown, { timeout: 5_000 })
      .toMatchObject({ id: traceId, role: 'assistant', status: 'streaming', provider: 'openai', content: firstTokens(reply, 3) })

    await fakeLlm.release(userId)
    await witness.finished(traceId)
    const response = await backend.message(traceId)
    expect(response.status()).toBe(200)
    const item = chatMessageSchema.parse(await response.json())
    expect(item).toMatchObject({ id: traceId, userId, role: 'assistant', status: 'complete', content: reply, provider: 'openai', finishReason: 'stop' })

    const question = await backend.storedMessage(`${traceId}:user`)
    expect(question).toMatchObject({ role: 'user', content: 'Hold on', status: 'complete' })
  })

  test('answers 404 for an unknown traceId and 401 without a session', async ({ backend }) => {
    const unknown = await backend.message('no-such-trace')
    expect(unknown.status()).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } })
    const noSession = await backend.as(null).message('no-such-trace')
    expect(noSession.status()).toBe(401)
    expect(await noSession.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })
})

test('GET /api/health answers 200 with the configured providers', async ({ backend }) => {
  const response = await backend.health()
  expect(response.status()).toBe(200)
  expect(await response.json()).toEqual({ status: 'ok', providers: ['openai', 'anthropic'] })
})
