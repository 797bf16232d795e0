import { groupIdFor, STREAM_NAME } from '@chat/protocol'
import { HostileSocket } from '../../../fixtures/attack/hostile-socket'
import { expectNothingOf, startVictimAnswer } from '../../../fixtures/attack/victim'
import { newSession } from '../../../fixtures/backend/sessions'
import { APPS } from '../../../fixtures/stack/apps'
import { expect, test } from '../../../fixtures/test'

/** Motia's own streams: logs and traces carry every user's ids and texts. */
const INTERNAL_STREAMS = ['__motia.logs', 'motia-trace', 'motia-trace-group']

test.describe('a socket reaches its own chat only', () => {
  test("joining another user's group is refused, and the attacker receives nothing of the victim's answer", async ({
    backend,
    fakeLlm,
    witness,
    session,
  }) => {
    const attacker = await HostileSocket.open({ token: (await newSession()).token })
    try {
      attacker.join(STREAM_NAME, groupIdFor(session.userId))
      const victimAnswer = await startVictimAnswer({ backend, fakeLlm, witness, session })
      await expect.poll(() => attacker.deniedJoins()).toBe(1)
      await victimAnswer.finishesExactly()
      expectNothingOf(attacker.dataFrames(), session, victimAnswer)
    } finally {
      attacker.close()
    }
  })

  test("an item subscription with the victim's traceId, in the attacker's group or the victim's, gets nothing", async ({
    backend,
    fakeLlm,
    witness,
    session,
  }) => {
    const victimAnswer = await startVictimAnswer({ backend, fakeLlm, witness, session })
    const own = await newSession()
    const attacker = await HostileSocket.open({ token: own.token })
    try {
      attacker.join(STREAM_NAME, groupIdFor(own.userId), { id: victimAnswer.traceId })
      attacker.join(STREAM_NAME, groupIdFor(session.userId), { id: victimAnswer.traceId })
      await expect.poll(() => attacker.deniedJoins()).toBe(1)
      await victimAnswer.finishesExactly()
      // The answer's item is written several times more before it completes: none of those writes may arrive.
      await expect.poll(async () => (await backend.message(victimAnswer.traceId)).json()).toMatchObject({ status: 'complete' })
      expectNothingOf(attacker.dataFrames(), session, victimAnswer)
    } finally {
      attacker.close()
    }
  })

  test("Motia's internal streams (logs, traces) are closed to sockets: joins refused, nothing received", async ({
    backend,
    fakeLlm,
    witness,
    session,
  }) => {
    const attacker = await HostileSocket.open({ token: (await newSession()).token })
    try {
      for (const stream of INTERNAL_STREAMS) {
        for (const group of ['default', groupIdFor(session.userId), session.userId]) attacker.join(stream, group)
      }
      const victimAnswer = await startVictimAnswer({ backend, fakeLlm, witness, session })
      await expect.poll(() => attacker.deniedJoins()).toBe(INTERNAL_STREAMS.length * 3)
      await victimAnswer.finishesExactly()
      expect(attacker.dataFrames()).toEqual([])
      expectNothingOf(attacker.dataFrames(), session, victimAnswer)
    } finally {
      attacker.close()
    }
  })

  test("a leave carrying another socket's subscription id does not drop that subscription", async ({ backend, fakeLlm, session, witness }) => {
    const subscriptionId = 'guessable-subscription'
    const victimSocket = await HostileSocket.open({ token: session.token })
    const own = await newSession()
    const attacker = await HostileSocket.open({ token: own.token })
    try {
      victimSocket.join(STREAM_NAME, groupIdFor(session.userId), { subscriptionId })
      await expect.poll(() => victimSocket.frames.filter((f) => f.event.type === 'sync').length).toBe(1)
      attacker.leave(STREAM_NAME, groupIdFor(session.userId), subscriptionId)
      attacker.join(STREAM_NAME, groupIdFor(own.userId), { subscriptionId })
      attacker.leave(STREAM_NAME, groupIdFor(own.userId), subscriptionId)
      const victimAnswer = await startVictimAnswer({ backend, fakeLlm, witness, session })
      await victimAnswer.finishesExactly()
      await expect.poll(() => victimSocket.frames.filter((f) => f.event.type === 'event' && f.event.event?.type === 'complete').length).toBe(1)
      expectNothingOf(attacker.dataFrames(), session, victimAnswer)
    } finally {
      victimSocket.close()
      attacker.close()
    }
  })

  test('100 joins on one socket: 32 are kept, the rest refused, and each event arrives at most 32 times', async ({ backend, fakeLlm, session, witness }) => {
    const greedy = await HostileSocket.open({ token: session.token })
    try {
      for (let i = 0; i < 100; i++) greedy.join(STREAM_NAME, groupIdFor(session.userId))
      await expect.poll(() => greedy.frames.filter((f) => f.event.type === 'sync').length + greedy.deniedJoins()).toBe(100)
      expect(greedy.deniedJoins()).toBe(68)
      const victimAnswer = await startVictimAnswer({ backend, fakeLlm, witness, session })
      await victimAnswer.finishesExactly()
      await expect.poll(() => greedy.frames.filter((f) => f.event.event?.type === 'complete').length).toBe(32)
    } finally {
      greedy.close()
    }
  })

  test('an upgrade without a session, or from a page of another origin, is refused (401)', async ({ session }) => {
    expect(await HostileSocket.upgradeStatus({})).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: 'http://evil.example' })).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: 'null' })).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: `http://localhost:${APPS['web-a'].port}` })).toBe(101)
    expect(await HostileSocket.upgradeStatus({ token: session.token })).toBe(101)
  })
})
