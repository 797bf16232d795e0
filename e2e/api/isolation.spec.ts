import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { expect, test } from '../../fixtures/test'

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
    await Promise.all([witness.finished(traceId), other.finished(otherTrace)])

    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([traceId]))
    expect(new Set(other.events().map((e) => e.data.traceId))).toEqual(new Set([otherTrace]))
    expect([...other.items.values()].every((item) => item.userId === otherSession.userId)).toBe(true)
    expect((await otherBackend.message(traceId)).status()).toBe(404)
  } finally {
    other.close()
    await fakeLlm.clear(otherSession.userId)
  }
})
