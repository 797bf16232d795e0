import { ANSWER_SWEEP_SECONDS, API_ROUTES, ERROR_CODES, type ChatMessage } from '@chat/protocol'
import { stackFaults } from '../../fixtures/faults/stack-faults'
import { numberedReply } from '../../fixtures/replies'
import type { BackendApi } from '../../fixtures/backend/backend-api'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import type { FakeLlmControl } from '../../fixtures/fake-llm/src/control-client'
import { BACKEND_URL } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'

// Faults stop services every spec shares: one at a time, never beside other tests (see playwright.config.ts).
test.describe.configure({ mode: 'serial' })

/** How long the Redis hang lasts, and how soon a request during it must be answered (ARCHITECTURE, Faults). */
const HUNG_FOR_MS = 10_000
const HUNG_ANSWER_BOUND_MS = 3_000

const post = async (backend: BackendApi, message: string) => (await backend.startAnswer(message)).traceId

const item = async (backend: BackendApi, traceId: string) => (await backend.message(traceId)).text()

/** Polls the answer's item (the socket may be gone with the backend) until it is finished. */
const finished = async (backend: BackendApi, traceId: string, timeoutMs: number): Promise<ChatMessage> => {
  let last: ChatMessage | undefined
  await expect
    .poll(
      async () => {
        const response = await backend.message(traceId).catch(() => null)
        if (response?.status() === 200) last = (await response.json()) as ChatMessage
        return last?.status
      },
      { timeout: timeoutMs, intervals: [100] },
    )
    .toMatch(/^(complete|error)$/)
  return last!
}

/** A completed earlier answer whose stored item must survive every fault byte for byte. */
const earlierAnswer = async (backend: BackendApi, witness: StreamWitness) => {
  const traceId = await post(backend, 'an earlier question')
  await witness.finished(traceId)
  return { traceId, stored: await item(backend, traceId) }
}

/** Starts a long answer and resolves once six of its tokens arrived: a fault now hits it mid-answer. */
const longAnswerUnderWay = async (backend: BackendApi, fakeLlm: FakeLlmControl, witness: StreamWitness, userId: string) => {
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(60, 'w'), tokenDelayMs: 80 })
  const traceId = await post(backend, 'a long answer')
  await witness.waitFor((received) => received.find((r) => r.event.type === 'token' && r.event.data.traceId === traceId && r.event.data.seq >= 5))
  return traceId
}

test('Redis killed mid-answer, back after 3 s: the answer ends, the next one streams, nothing earlier changes', async ({ backend, fakeLlm, witness, userId }) => {
  const earlier = await earlierAnswer(backend, witness)
  const traceId = await longAnswerUnderWay(backend, fakeLlm, witness, userId)

  const { stoppedAt: faultAt, backAt } = await stackFaults.outage('redis', () => new Promise((resolve) => setTimeout(resolve, 3_000)))

  const ended = await finished(backend, traceId, 40_000)
  test.info().annotations.push({ type: 'redis-kill', description: `answer ${ended.status} ${Date.now() - faultAt} ms after the fault` })

  const next = await post(backend, 'the next question')
  await witness.waitFor((received) => received.find((r) => r.event.type === 'token' && r.event.data.traceId === next))
  test.info().annotations.push({ type: 'redis-back', description: `next answer's first token ${Date.now() - backAt} ms after Redis was back` })
  expect((await witness.finished(next)).event.type).toBe('complete')
  expect(await item(backend, earlier.traceId)).toBe(earlier.stored)
})

test('POST and poll while Redis is away: 503 unavailable at once; both work once it is back', async ({ backend, witness, userId }) => {
  const earlier = await earlierAnswer(backend, witness)
  await stackFaults.outage('redis', async () => {
    const startedAt = Date.now()
    const response = await backend.postChat({ message: 'during the outage' })
    const tookMs = Date.now() - startedAt
    expect(response.status()).toBe(503)
    expect(await response.json()).toMatchObject({ error: { code: 'unavailable' } })
    expect(tookMs).toBeLessThan(1_000)
    const poll = await backend.message(earlier.traceId)
    expect(poll.status()).toBe(503)
    expect(await poll.json()).toMatchObject({ error: { code: 'unavailable' } })
  })
  await expect.poll(async () => (await backend.postChat({ message: 'after the outage' })).status(), { timeout: 10_000 }).toBe(202)
  expect(await item(backend, earlier.traceId)).toBe(earlier.stored)
})

test(`Redis hung (SIGSTOP, its connections open) for ${HUNG_FOR_MS / 1000} s: a POST and a poll answer 503 within ${HUNG_ANSWER_BOUND_MS / 1000} s, the answer in flight ends exactly once when it goes on, and the refused turn is nowhere`, async ({
  backend,
  fakeLlm,
  session,
  witness,
  userId,
}) => {
  const earlier = await earlierAnswer(backend, witness)
  const traceId = await longAnswerUnderWay(backend, fakeLlm, witness, userId)
  await stackFaults.hang('redis', async (hungAt) => {
    // At once after the hang (before the backend can have noticed it), then again once it has.
    for (const attempt of ['at once', 'later']) {
      const posted = Date.now()
      const refused = await backend.postChat({ message: `during the hang (${attempt})` })
      expect(refused.status(), `POST ${attempt}`).toBe(503)
      expect(await refused.json()).toMatchObject({ error: { code: ERROR_CODES.unavailable } })
      expect(Date.now() - posted, `POST ${attempt}: answered within the bound`).toBeLessThan(HUNG_ANSWER_BOUND_MS)
      const polled = Date.now()
      expect((await backend.message(traceId)).status(), `poll ${attempt}`).toBe(503)
      expect(Date.now() - polled, `poll ${attempt}: answered within the bound`).toBeLessThan(HUNG_ANSWER_BOUND_MS)
    }
    // The hang lasts its full time: what is measured is how the stack comes out of it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, hungAt + HUNG_FOR_MS - Date.now())))
  })

  const done = await witness.finished(traceId, 30_000)
  expect(done.event).toMatchObject({ type: 'complete', data: { content: numberedReply(60, 'w') } })
  expect(witness.events(traceId).filter((e) => e.type === 'complete' || e.type === 'error'), 'ended exactly once').toHaveLength(1)
  expect((await finished(backend, traceId, 10_000)).content).toBe(numberedReply(60, 'w'))
  // The refused turns: no item of theirs (a write that landed after Redis went on was undone), no provider asked.
  const sync = await StreamWitness.join(session)
  sync.close()
  expect(sync.itemFrames.filter(({ item }) => item.content.startsWith('during the hang'))).toEqual([])
  expect((await fakeLlm.requests(userId)).length).toBe(2)
  expect(await item(backend, earlier.traceId)).toBe(earlier.stored)
  await expect.poll(async () => (await backend.postChat({ message: 'after the hang' })).status(), { timeout: 10_000 }).toBe(202)
})

test('a new session while Redis is away: 503 unavailable, never issued unchecked by the per-address limit; a renewal is served; new sessions again once it is back', async ({
  request,
  session,
}) => {
  const sessionUrl = `${BACKEND_URL}${API_ROUTES.session.path}`
  await stackFaults.outage('redis', async () => {
    const fresh = await request.post(sessionUrl, { data: {} })
    expect(fresh.status()).toBe(503)
    expect(await fresh.json()).toMatchObject({ error: { code: ERROR_CODES.unavailable } })
    const renewed = await request.post(sessionUrl, { data: {}, headers: { authorization: `Bearer ${session.token}` } })
    expect(renewed.status()).toBe(201)
    expect(await renewed.json()).toMatchObject({ userId: session.userId })
  })
  await expect.poll(async () => (await request.post(sessionUrl, { data: {} })).status(), { timeout: 10_000 }).toBe(201)
})

test(`every backend instance killed mid-answer and restarted: the answer ends interrupted within one sweep (${ANSWER_SWEEP_SECONDS} s + 1 s) of the backend being back, nothing earlier changes`, async ({ backend, fakeLlm, witness, userId }) => {
  const earlier = await earlierAnswer(backend, witness)
  const traceId = await longAnswerUnderWay(backend, fakeLlm, witness, userId)

  await stackFaults.kill('backend')
  const faultAt = Date.now()
  await stackFaults.waitUntilBack('backend')
  const backAt = Date.now()
  const ended = await finished(backend, traceId, 30_000)
  const endedAt = Date.now()
  test.info().annotations.push({ type: 'backend-kill', description: `back ${backAt - faultAt} ms, answer ${ended.status} ${endedAt - faultAt} ms after the fault` })
  expect(ended.status).toBe('error')
  // The dead instances' heartbeats lapsed during the restart: the first sweep after it fails the answer.
  expect(endedAt - backAt, 'ended within one sweep of the backend being back').toBeLessThanOrEqual((ANSWER_SWEEP_SECONDS + 1) * 1000)
  expect(await item(backend, earlier.traceId)).toBe(earlier.stored)
})
