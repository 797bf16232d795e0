import { groupIdFor, STREAM_NAME } from '@chat/protocol'
import { expect, test } from '../../../fixtures/attack/test'
import { HostileSocket } from '../../../fixtures/attack/hostile-socket'
import { expectNothingOf } from '../../../fixtures/attack/victim'
import { appOrigin } from '@chat/apps'

/** Motia's own streams: logs and traces carry every user's ids and texts. */
const INTERNAL_STREAMS = ['__motia.logs', 'motia-trace', 'motia-trace-group']

const completes = (socket: HostileSocket) => socket.frames.filter((f) => f.event.type === 'event' && f.event.event?.type === 'complete').length

test.describe('a socket reaches its own chat only', () => {
  test("joining another user's group is refused, and the attacker receives nothing of the victim's answer", async ({ attacker, victim, session }) => {
    const socket = await attacker.socket()
    socket.join(STREAM_NAME, groupIdFor(session.userId))
    const answer = await victim.startAnswer()
    await expect.poll(() => socket.deniedJoins()).toBe(1)
    await answer.finishesExactly()
    expectNothingOf(socket.dataFrames(), session, answer)
  })

  test("an item subscription with the victim's traceId, in the attacker's group or the victim's, gets nothing", async ({
    attacker,
    victim,
    session,
    backend,
  }) => {
    const answer = await victim.startAnswer()
    const socket = await attacker.socket()
    socket.join(STREAM_NAME, groupIdFor(attacker.session.userId), { id: answer.traceId })
    socket.join(STREAM_NAME, groupIdFor(session.userId), { id: answer.traceId })
    await expect.poll(() => socket.deniedJoins()).toBe(1)
    await answer.finishesExactly()
    // The answer's item is written several times more before it completes: none of those writes may arrive.
    await expect.poll(async () => (await backend.message(answer.traceId)).json()).toMatchObject({ status: 'complete' })
    expectNothingOf(socket.dataFrames(), session, answer)
  })

  test("Motia's internal streams (logs, traces) are closed to sockets: joins refused, nothing received", async ({ attacker, victim, session }) => {
    const socket = await attacker.socket()
    for (const stream of INTERNAL_STREAMS) {
      for (const group of ['default', groupIdFor(session.userId), session.userId]) socket.join(stream, group)
    }
    const answer = await victim.startAnswer()
    await expect.poll(() => socket.deniedJoins()).toBe(INTERNAL_STREAMS.length * 3)
    await answer.finishesExactly()
    expect(socket.dataFrames()).toEqual([])
  })

  test("a leave carrying another socket's subscription id does not drop that subscription", async ({ attacker, victim, session }) => {
    const subscriptionId = 'guessable-subscription'
    const victimSocket = await attacker.socket({ token: session.token })
    victimSocket.join(STREAM_NAME, groupIdFor(session.userId), { subscriptionId })
    await expect.poll(() => victimSocket.frames.filter((f) => f.event.type === 'sync').length).toBe(1)
    const socket = await attacker.socket()
    socket.leave(STREAM_NAME, groupIdFor(session.userId), subscriptionId)
    socket.join(STREAM_NAME, groupIdFor(attacker.session.userId), { subscriptionId })
    socket.leave(STREAM_NAME, groupIdFor(attacker.session.userId), subscriptionId)
    const answer = await victim.startAnswer()
    await answer.finishesExactly()
    await expect.poll(() => completes(victimSocket)).toBe(1)
    expectNothingOf(socket.dataFrames(), session, answer)
  })

  test('100 joins on one socket: 32 are kept, the rest refused, and each event arrives at most 32 times', async ({ attacker, victim, session }) => {
    const greedy = await attacker.socket({ token: session.token })
    for (let i = 0; i < 100; i++) greedy.join(STREAM_NAME, groupIdFor(session.userId))
    await expect.poll(() => greedy.frames.filter((f) => f.event.type === 'sync').length + greedy.deniedJoins()).toBe(100)
    expect(greedy.deniedJoins()).toBe(68)
    const answer = await victim.startAnswer()
    await answer.finishesExactly()
    await expect.poll(() => completes(greedy)).toBe(32)
  })

  test('an upgrade without a session, or from a page of another origin, is refused (401)', async ({ session }) => {
    expect(await HostileSocket.upgradeStatus({})).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: 'http://evil.example' })).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: 'null' })).toBe(401)
    expect(await HostileSocket.upgradeStatus({ token: session.token, origin: appOrigin('web-a') })).toBe(101)
    expect(await HostileSocket.upgradeStatus({ token: session.token })).toBe(101)
  })
})
