import { API_ROUTES, ERROR_CODES, type ChatMessage } from '@chat/protocol'
import { stackFaults } from '../../fixtures/faults/stack-faults'
import { numberedReply } from '../../fixtures/replies'
import type { BackendApi } from '../../fixtures/backend/backend-api'
import type { StreamWitness } from '../../fixtures/backend/stream-witness'
import type { FakeLlmControl } from '../../fixtures/fake-llm/src/control-client'
import { BACKEND_URL } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'

// Faults stop services every spec shares: one at a time, never beside other tests (see playwright.config.ts).
test.describe.configure({ mode: 'serial' })

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

test('backend killed mid-answer and restarted: the answer ends interrupted, nothing earlier changes', async ({ backend, fakeLlm, witness, userId }) => {
  const earlier = await earlierAnswer(backend, witness)
  const traceId = await longAnswerUnderWay(backend, fakeLlm, witness, userId)

  await stackFaults.kill('backend')
  const faultAt = Date.now()
  await stackFaults.waitUntilBack('backend')
  const backAt = Date.now()
  const ended = await finished(backend, traceId, 30_000)
  test.info().annotations.push({ type: 'backend-kill', description: `back ${backAt - faultAt} ms, answer ${ended.status} ${Date.now() - faultAt} ms after the fault` })
  expect(ended.status).toBe('error')
  expect(await item(backend, earlier.traceId)).toBe(earlier.stored)
})
