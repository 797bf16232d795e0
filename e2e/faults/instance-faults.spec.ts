import { DEAD_INSTANCE_ANSWERS_FAILED_SECONDS } from '@chat/protocol'
import { limitSettings } from '../../apps/backend/lib/limits/limit-settings'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { stackFaults } from '../../fixtures/faults/stack-faults'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'
import { backendInstances } from '../../scripts/backend-instances'

// Faults stop services every spec shares: one at a time, never beside other tests (see playwright.config.ts).
test.describe.configure({ mode: 'serial' })

const [A, B] = backendInstanceUrls()
const [instanceA, instanceB] = backendInstances(process.env).map(({ name }) => name as `backend-${number}`)
test.skip(!B, 'needs two backend instances (BACKEND_INSTANCES ≥ 2)')

const LONG = numberedReply(60, 'w')
const IN_FLIGHT = limitSettings(process.env).answersInFlight
const tokenSeqs = (witness: StreamWitness, traceId: string) =>
  witness.events(traceId).flatMap((event) => (event.type === 'token' ? [event.data.seq] : []))
const tokenReached = (witness: StreamWitness, traceId: string, seq: number) =>
  witness.waitFor((received) => received.find((r) => r.event.type === 'token' && r.event.data.traceId === traceId && r.event.data.seq >= seq))

test(`the instance generating an answer killed while the socket is on the other: the answer ends interrupted within ${DEAD_INSTANCE_ANSWERS_FAILED_SECONDS} s, the other instance's answers finish, Retry answers through the survivor`, async ({
  backend,
  fakeLlm,
  session,
  userId,
}) => {
  const neighbour = await newSession()
  const [onB, neighbourOnB] = await Promise.all([StreamWitness.join(session, B), StreamWitness.join(neighbour, B)])
  try {
    await fakeLlm.script({ userId, provider: 'openai', reply: LONG, tokenDelayMs: 80 })
    await fakeLlm.script({ userId: neighbour.userId, provider: 'openai', reply: LONG, tokenDelayMs: 80 })
    const doomed = await backend.at(A!).startAnswer('generated on A')
    const spared = await backend.as(neighbour.token).at(B!).startAnswer('generated on B')
    await Promise.all([tokenReached(onB, doomed.traceId, 5), tokenReached(neighbourOnB, spared.traceId, 5)])

    await stackFaults.outage(instanceA!, async (faultAt) => {
      const ended = await onB.finished(doomed.traceId, 30_000)
      const endedAfterMs = ended.at - faultAt
      test.info().annotations.push({ type: 'instance-kill', description: `answer interrupted ${endedAfterMs} ms after the kill` })
      expect(ended.event).toMatchObject({ type: 'error', data: { code: 'interrupted' } })
      expect(endedAfterMs, 'failed within the heartbeat lapse and one sweep').toBeLessThanOrEqual(DEAD_INSTANCE_ANSWERS_FAILED_SECONDS * 1000)
      expect(await backend.at(B!).storedMessage(doomed.traceId)).toMatchObject({ status: 'error' })

      // The live instance's answer was never taken for a dead one's.
      expect((await neighbourOnB.finished(spared.traceId, 30_000)).event).toMatchObject({ type: 'complete', data: { content: LONG } })

      // The interrupted answer gave its in-flight slot back: the user may have as many answers streaming as ever.
      for (let i = 0; i < IN_FLIGHT; i++) await fakeLlm.script({ userId, provider: 'openai', reply: `in flight ${i}` })
      const again = []
      for (let i = 0; i < IN_FLIGHT; i++) again.push(await backend.startAnswer(`in flight ${i}`))
      for (const { traceId } of again) expect((await onB.finished(traceId)).event.type).toBe('complete')

      // Retry, through the balancer while A is down: the survivor answers.
      await fakeLlm.script({ userId, provider: 'openai', reply: 'answered by the survivor' })
      const retry = await backend.startAnswer('generated on A (again)')
      expect((await onB.finished(retry.traceId)).event).toMatchObject({ type: 'complete', data: { content: 'answered by the survivor' } })
    })
  } finally {
    onB.close()
    neighbourOnB.close()
    await fakeLlm.clear(neighbour.userId)
  }
})

test('the instance holding the socket killed mid-answer: a socket rejoined through the balancer lands on the survivor, resyncs, and the answer ends exactly right', async ({
  backend,
  fakeLlm,
  session,
  userId,
}) => {
  const onB = await StreamWitness.join(session, B)
  await fakeLlm.script({ userId, provider: 'openai', reply: LONG, tokenDelayMs: 40 })
  const { traceId } = await backend.at(A!).startAnswer('generated on A, read on B')
  await tokenReached(onB, traceId, 10)

  await stackFaults.outage(instanceB!, async () => {
    const rejoined = await StreamWitness.join(session)
    try {
      const done = await rejoined.finished(traceId, 30_000)
      expect(done.event).toMatchObject({ type: 'complete', data: { content: LONG } })
      // What the rejoined socket was given: the item as of its sync, then live tokens after it, none twice.
      const [synced] = rejoined.versionsOf(traceId)
      expect(synced?.via).toBe('sync')
      const live = tokenSeqs(rejoined, traceId)
      expect(new Set(live).size, 'no token twice').toBe(live.length)
      expect(live, 'in order').toEqual([...live].sort((x, y) => x - y))
      if (synced!.item.status !== 'complete') expect(live.at(-1)).toBe(59)
    } finally {
      rejoined.close()
    }
  })
  onB.close()
})

test('Redis away for 3 s while answers stream across instances: every answer ends, none stays streaming', async ({ backend, fakeLlm }) => {
  const users = await Promise.all(Array.from({ length: 6 }, () => newSession()))
  const witnesses = await Promise.all(users.map((session, i) => StreamWitness.join(session, i % 2 ? A : B)))
  try {
    await Promise.all(users.map((session) => fakeLlm.script({ userId: session.userId, provider: 'openai', reply: LONG, tokenDelayMs: 80 })))
    const answers = await Promise.all(users.map((session, i) => backend.as(session.token).at(i % 2 ? B! : A!).startAnswer(`question ${i}`)))
    await Promise.all(answers.map(({ traceId }, i) => tokenReached(witnesses[i]!, traceId, 5)))

    await stackFaults.outage('redis', () => new Promise((resolve) => setTimeout(resolve, 3_000)))

    for (const [i, { traceId }] of answers.entries()) {
      const user = backend.as(users[i]!.token)
      await expect
        .poll(async () => ((await user.message(traceId)).ok() ? (await user.storedMessage(traceId)).status : 'unreadable'), {
          timeout: 40_000,
          message: `answer ${i} ends`,
        })
        .toMatch(/^(complete|error)$/)
      const stored = await user.storedMessage(traceId)
      if (stored.status === 'complete') expect(stored.content).toBe(LONG)
    }
  } finally {
    for (const witness of witnesses) witness.close()
    await Promise.all(users.map((session) => fakeLlm.clear(session.userId)))
  }
})

test('every supervised service ended cleanly (SIGTERM, exit 0), as a stray stop would: the stack restarts each like a crashed one, and an answer streams through them again', async ({
  backend,
  fakeLlm,
  session,
  userId,
}) => {
  const services = ['redis', 'fake-llm', ...backendInstances(process.env).map(({ name }) => name as `backend-${number}`), 'balancer'] as const
  const endedAt = Date.now()
  await Promise.all(services.map((service) => stackFaults.terminate(service)))
  await Promise.all(services.map((service) => stackFaults.waitUntilBack(service)))
  test.info().annotations.push({ type: 'sigterm', description: `all back ${Date.now() - endedAt} ms after their SIGTERM` })
  await expect.poll(async () => (await backend.health()).status(), { timeout: 10_000 }).toBe(200)
  const witness = await StreamWitness.join(session)
  try {
    await fakeLlm.script({ userId, provider: 'openai', reply: 'every service back' })
    const { traceId } = await backend.startAnswer('is everyone back?')
    expect((await witness.finished(traceId)).event).toMatchObject({ type: 'complete', data: { content: 'every service back' } })
  } finally {
    witness.close()
  }
})

test('the balancer killed: the stack brings it back, and a socket and a POST through it work again', async ({ backend, fakeLlm, session, userId }) => {
  await stackFaults.kill('balancer')
  const killedAt = Date.now()
  await stackFaults.waitUntilBack('balancer')
  test.info().annotations.push({ type: 'balancer-kill', description: `back ${Date.now() - killedAt} ms after the kill` })
  const witness = await StreamWitness.join(session)
  try {
    await fakeLlm.script({ userId, provider: 'openai', reply: 'through the balancer again' })
    const { traceId } = await backend.startAnswer('are you there?')
    expect((await witness.finished(traceId)).event).toMatchObject({ type: 'complete', data: { content: 'through the balancer again' } })
  } finally {
    witness.close()
  }
})
