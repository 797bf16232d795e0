import { randomInt } from 'node:crypto'
import { ERROR_CODES, type ErrorBody } from '@chat/protocol'
import type { APIResponse } from '@playwright/test'
import { IN_FLIGHT_RETRY_AFTER_SECONDS } from '../../apps/backend/lib/limits/answer-limits'
import { limitSettings } from '../../apps/backend/lib/limits/limit-settings'
import type { BackendApi } from '../../fixtures/backend/backend-api'
import { ClientAt } from '../../fixtures/backend/from-address'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'

const LIMITS = limitSettings(process.env)
const { answersBurst: BURST, answersSustained: SUSTAINED, answersInFlight: IN_FLIGHT, tokenBudget: BUDGET, newSessionsPerAddress: SESSIONS } = LIMITS
// Requests alternate between two instances (when there are two): a limit counts in Redis, not per process.
const instances = backendInstanceUrls()
const instanceFor = (i: number) => instances[i % instances.length]!
const QUICK = { firstTokenMs: 0, tokenDelayMs: 0 }

/** What a refusal says: its status, its code and its `Retry-After` (seconds). */
const refusal = async (response: APIResponse) => ({
  status: response.status(),
  code: ((await response.json()) as Partial<ErrorBody>).error?.code,
  retryAfter: Number(response.headers()['retry-after']),
})

/** Nothing of `message` in the user's group: what a socket joining now is given. */
const recorded = async (session: Parameters<typeof StreamWitness.join>[0], message: string) => {
  const sync = await StreamWitness.join(session)
  sync.close()
  return sync.itemFrames.filter(({ item }) => item.content === message).length
}

/** Asks at instance `i % n` and waits for the answer's end. */
const askAndFinish = async (backend: BackendApi, witness: StreamWitness, i: number) => {
  const { traceId } = await backend.at(instanceFor(i)).startAnswer(`question ${i}`)
  return (await witness.finished(traceId)).event
}

/** Asks until the limits allow it (within `timeoutMs`), then waits for the answer's end. */
const askOnceAllowed = async (backend: BackendApi, witness: StreamWitness, message: string, timeoutMs: number) => {
  let response: APIResponse | undefined
  await expect.poll(async () => (response = await backend.postChat({ message })).status(), { timeout: timeoutMs, intervals: [250] }).toBe(202)
  return (await witness.finished((await backend.accepted(response!)).traceId)).event
}

test(`answers per user, burst: the answer past ${BURST.points} within ${BURST.seconds} s gets 429 rate_limited with Retry-After, records nothing, asks no provider; after the wait it is answered`, async ({
  backend,
  fakeLlm,
  session,
  userId,
  witness,
}) => {
  for (let i = 0; i < BURST.points; i++) {
    await fakeLlm.script({ userId, provider: 'openai', reply: `answer ${i}`, ...QUICK })
    expect((await askAndFinish(backend, witness, i)).type).toBe('complete')
  }
  const over = await refusal(await backend.at(instanceFor(BURST.points)).postChat({ message: 'one too many' }))
  expect(over).toMatchObject({ status: 429, code: ERROR_CODES.rateLimited })
  expect(over.retryAfter).toBeGreaterThanOrEqual(1)
  expect(over.retryAfter).toBeLessThanOrEqual(BURST.seconds)
  expect(await recorded(session, 'one too many')).toBe(0)
  expect(await fakeLlm.requests(userId)).toHaveLength(BURST.points)

  await fakeLlm.script({ userId, provider: 'openai', reply: 'after the wait', ...QUICK })
  expect(await askOnceAllowed(backend, witness, 'after the wait?', (over.retryAfter + 2) * 1000)).toMatchObject({ type: 'complete', data: { content: 'after the wait' } })
})

test(`answers per user, sustained: past ${SUSTAINED.points} within ${SUSTAINED.seconds} s the next is refused until that window ends, however the bursts are spaced`, async ({
  backend,
  fakeLlm,
  session,
  userId,
  witness,
}) => {
  test.slow()
  const started = Date.now()
  let answered = 0
  while (answered < SUSTAINED.points) {
    await fakeLlm.script({ userId, provider: 'openai', reply: `answer ${answered}`, ...QUICK })
    // Within the burst, or after its window ends (the burst refuses in between).
    const asked = await askOnceAllowed(backend.at(instanceFor(answered)), witness, `question ${answered}`, (BURST.seconds + 2) * 1000)
    expect(asked.type).toBe('complete')
    answered += 1
  }
  const over = await refusal(await backend.postChat({ message: 'one too many' }))
  const windowLeft = Math.ceil((started + SUSTAINED.seconds * 1000 - Date.now()) / 1000)
  expect(windowLeft, `the ${SUSTAINED.points} answers were asked within one sustained window`).toBeGreaterThan(BURST.seconds)
  expect(over).toMatchObject({ status: 429, code: ERROR_CODES.rateLimited })
  // The wait named is what is left of the sustained window (begun with the first answer), not a burst's.
  expect(over.retryAfter).toBeGreaterThanOrEqual(windowLeft - 1)
  expect(over.retryAfter).toBeLessThanOrEqual(windowLeft + 1)
  expect(await recorded(session, 'one too many')).toBe(0)
  expect(await fakeLlm.requests(userId)).toHaveLength(SUSTAINED.points)

  await fakeLlm.script({ userId, provider: 'openai', reply: 'a new window', ...QUICK })
  expect((await askOnceAllowed(backend, witness, 'a new window?', (over.retryAfter + 2) * 1000)).type).toBe('complete')
})

test(`answers in flight per user: with ${IN_FLIGHT} streaming the next gets 429 too_many_in_flight; an answer that ends or fails frees its slot`, async ({
  backend,
  fakeLlm,
  session,
  userId,
  witness,
}) => {
  // A failed answer (every provider failing) ends at once: had it kept its slot, the last held answer below would be refused.
  await fakeLlm.script({ userId, provider: 'openai', reply: 'x', failure: { afterTokens: 0, kind: 'http_500' }, ...QUICK })
  await fakeLlm.script({ userId, provider: 'anthropic', reply: 'x', failure: { afterTokens: 0, kind: 'http_500' }, ...QUICK })
  expect(await askAndFinish(backend, witness, 0)).toMatchObject({ type: 'error', data: { code: ERROR_CODES.allProvidersFailed } })

  const slow = numberedReply(20)
  for (let i = 0; i < IN_FLIGHT; i++) await fakeLlm.script({ userId, provider: 'openai', reply: slow, tokenDelayMs: 100 })
  const held = []
  for (let i = 0; i < IN_FLIGHT; i++) held.push(await backend.at(instanceFor(i)).startAnswer(`held ${i}`))

  const over = await refusal(await backend.at(instanceFor(IN_FLIGHT)).postChat({ message: 'one too many' }))
  expect(over).toEqual({ status: 429, code: ERROR_CODES.tooManyInFlight, retryAfter: IN_FLIGHT_RETRY_AFTER_SECONDS })
  expect(await recorded(session, 'one too many')).toBe(0)
  await expect.poll(async () => (await fakeLlm.requests(userId)).length).toBe(2 + IN_FLIGHT)

  // The first held answer ends: its slot is the next answer's.
  expect((await witness.finished(held[0]!.traceId)).event.type).toBe('complete')
  await fakeLlm.script({ userId, provider: 'openai', reply: 'a free slot', ...QUICK })
  const next = await backend.startAnswer('now?')
  expect((await witness.finished(next.traceId)).event).toMatchObject({ type: 'complete', data: { content: 'a free slot' } })
})

test(`the provider-token budget (${BUDGET.points} per ${BUDGET.seconds} s): counts every token streamed, a failed provider's too, and refuses the next answer once spent with 429 budget_exhausted until it renews`, async ({
  backend,
  fakeLlm,
  session,
  userId,
  witness,
}) => {
  const half = BUDGET.points / 2
  // Half the budget from a provider that then fails, and half from the one that takes over.
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(half + 10), failure: { afterTokens: half, kind: 'disconnect' }, ...QUICK })
  await fakeLlm.script({ userId, provider: 'anthropic', reply: numberedReply(half), ...QUICK })
  expect((await askAndFinish(backend, witness, 0)).type).toBe('complete')

  const over = await refusal(await backend.at(instanceFor(1)).postChat({ message: 'one too many' }))
  expect(over).toMatchObject({ status: 429, code: ERROR_CODES.budgetExhausted })
  expect(over.retryAfter).toBeGreaterThanOrEqual(1)
  expect(over.retryAfter).toBeLessThanOrEqual(BUDGET.seconds)
  expect(await recorded(session, 'one too many')).toBe(0)
  expect(await fakeLlm.requests(userId)).toHaveLength(2)

  await fakeLlm.script({ userId, provider: 'openai', reply: 'renewed', ...QUICK })
  expect((await askOnceAllowed(backend, witness, 'renewed?', (over.retryAfter + 2) * 1000)).type).toBe('complete')
})

test(`new sessions per client address: past ${SESSIONS.points} within ${SESSIONS.seconds} s the address gets 429 too_many_sessions, a forged X-Forwarded-For changes nothing, other addresses and renewals are served`, async () => {
  // An address of its own on the loopback network: the rest of the suite asks from 127.0.0.1.
  const client = new ClientAt(`127.${randomInt(1, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`)
  try {
    const issued = await Promise.all(Array.from({ length: SESSIONS.points }, () => client.newSession()))
    expect(issued.map((response) => response.status)).toEqual(Array(SESSIONS.points).fill(201))

    const over = await client.newSession()
    expect(over.status).toBe(429)
    expect(over.body).toMatchObject({ error: { code: ERROR_CODES.tooManySessions } })
    expect(Number(over.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(over.retryAfter)).toBeLessThanOrEqual(SESSIONS.seconds)
    // The client names another address itself: the balancer's entry, the last, is the one believed.
    expect((await client.newSession({ 'x-forwarded-for': `10.${randomInt(0, 255)}.0.1` })).status).toBe(429)

    // A renewal keeps its user and is not a new session; another address is not this one.
    const { token } = issued[0]!.body as { token: string }
    expect((await client.newSession({ authorization: `Bearer ${token}` })).status).toBe(201)
    await expect(newSession()).resolves.toMatchObject({ userId: expect.any(String) })

    await expect.poll(async () => (await client.newSession()).status, { timeout: (Number(over.retryAfter) + 2) * 1000, intervals: [250] }).toBe(201)
  } finally {
    client.close()
  }
})
