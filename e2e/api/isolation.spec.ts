import { groupIdFor, type MotiaFrame, userMessageIdFor } from '@chat/protocol'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { expect, test } from '../../fixtures/test'

/** A frame a user's socket must never get: of another group, another answer, or another user's item. */
const notOwnedBy = (userId: string, traceId: string) => {
  const ownIds = [traceId, userMessageIdFor(traceId)]
  return (frame: MotiaFrame): boolean => {
    if (frame.groupId !== groupIdFor(userId)) return true
    const { event } = frame
    switch (event.type) {
      case 'event':
        return event.event.data.traceId !== traceId
      case 'sync':
        return event.data.some((item) => item.userId !== userId || !ownIds.includes(item.id))
      case 'delete':
        return !ownIds.includes(event.data.id)
      default:
        return event.data.userId !== userId || !ownIds.includes(event.data.id)
    }
  }
}

test("two users at once: each one's socket gets only their own answers, and neither can poll the other's", async ({
  backend,
  fakeLlm,
  witness,
  userId,
}) => {
  const otherSession = await newSession()
  const other = await StreamWitness.join(otherSession)
  const otherBackend = backend.as(otherSession.token)
  try {
    await fakeLlm.script({ userId, provider: 'openai', reply: 'For your eyes only.' })
    const { traceId } = await backend.startAnswer('secret')
    const { traceId: otherTrace } = await otherBackend.startAnswer('mine')
    const foreignToMine = notOwnedBy(userId, traceId)
    const foreignToOther = notOwnedBy(otherSession.userId, otherTrace)

    // Both sockets are watched for the whole of both answers: the first frame of the other user ends the wait at once.
    const leak = await Promise.race([
      witness.firstFrame(foreignToMine).then((frame) => ({ socket: 'first user', frame })),
      other.firstFrame(foreignToOther).then((frame) => ({ socket: 'other user', frame })),
      Promise.all([witness.finished(traceId), other.finished(otherTrace)]).then(() => null),
    ])
    expect(leak, 'a frame of one user reached the socket of the other').toBeNull()
    expect(witness.frames.filter(foreignToMine), "frames of the other user on the first user's socket").toEqual([])
    expect(other.frames.filter(foreignToOther), "frames of the first user on the other user's socket").toEqual([])

    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([traceId]))
    expect(new Set(other.events().map((e) => e.data.traceId))).toEqual(new Set([otherTrace]))
    expect((await otherBackend.message(traceId)).status()).toBe(404)
  } finally {
    other.close()
    await fakeLlm.clear(otherSession.userId)
  }
})
