import { streamAcceptedSchema } from '@chat/protocol'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { expect, test } from '../../fixtures/test'

test('a socket joined to another user\'s group gets nothing of this user\'s answer, nor can it poll it', async ({
  backend,
  fakeLlm,
  witness,
  userId,
}) => {
  const otherUser = `${userId}-other`
  const other = await StreamWitness.join(otherUser)
  try {
    await fakeLlm.script({ userId, provider: 'openai', reply: 'For your eyes only.' })
    const { traceId } = streamAcceptedSchema.parse(await (await backend.postChat({ message: 'secret', userId })).json())
    await witness.finished(traceId)

    // The other user's own answer, sent after ours finished: the first event it sees must be its own.
    const { traceId: otherTrace } = streamAcceptedSchema.parse(await (await backend.postChat({ message: 'mine', userId: otherUser })).json())
    await other.finished(otherTrace)
    expect(new Set(other.events().map((e) => e.data.traceId))).toEqual(new Set([otherTrace]))
    expect([...other.items.values()].every((item) => item.userId === otherUser)).toBe(true)

    const stolen = await backend.message(traceId, otherUser)
    expect(stolen.status()).toBe(404)
  } finally {
    other.close()
  }
})
