import { randomBytes } from 'node:crypto'
import type { ChatMessage, Session } from '@chat/protocol'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness, type ReceivedItem } from '../../fixtures/backend/stream-witness'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { expect, test as base } from '../../fixtures/test'

// Requests go to the instances' own ports, so where each lands is chosen, not left to the balancer.
const [A, B] = backendInstanceUrls()
const clientId = () => randomBytes(16).toString('base64url')

/** The test user's socket at one instance, joined before the test body runs. */
const socketAt =
  (url: string | undefined) =>
  async ({ session }: { session: Session }, use: (witness: StreamWitness) => Promise<void>) => {
    const witness = await StreamWitness.join(session, url)
    await use(witness)
    witness.close()
  }

const test = base.extend<{ onA: StreamWitness; onB: StreamWitness }>({ onA: socketAt(A), onB: socketAt(B) })
test.skip(!B, 'needs two backend instances (BACKEND_INSTANCES ≥ 2)')

/** One write of an item, as every socket sees it. */
const version = ({ via, item }: ReceivedItem) => {
  const { id, status, provider, content, tokens, updatedAt }: ChatMessage = item
  return JSON.stringify([via, id, status, provider, content, tokens, updatedAt])
}

const tokenSeqs = (witness: StreamWitness, traceId: string) =>
  witness.events(traceId).flatMap((event) => (event.type === 'token' ? [event.data.seq] : []))

const finalWrite = (witness: StreamWitness, traceId: string) => () => witness.versionsOf(traceId).at(-1)?.item.status

test.describe('two backend instances, one chat', () => {
  test('a socket on one instance receives every token of an answer generated on the other, in order, exactly once, and every item write', async ({
    backend,
    fakeLlm,
    onA,
    onB,
    userId,
  }) => {
    const reply = numberedReply(60)
    await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 10 })
    const { traceId } = await backend.at(A!).startAnswer('Generated on A, read on B')

    const done = await onB.finished(traceId)
    expect(done.event).toMatchObject({ type: 'complete', data: { traceId, content: reply } })
    expect(tokenSeqs(onB, traceId)).toEqual([...Array(60).keys()])
    // The item's writes: the generating instance's own socket saw each, and the other instance's saw the same.
    await expect.poll(finalWrite(onA, traceId)).toBe('complete')
    await expect.poll(finalWrite(onB, traceId)).toBe('complete')
    expect(onB.versionsOf(traceId).length).toBeGreaterThanOrEqual(3)
    expect(onB.versionsOf(traceId).map(version)).toEqual(onA.versionsOf(traceId).map(version))
  })

  test('two sockets of one user, one on each instance: identical frames, the generating one\'s and the other\'s', async ({
    backend,
    fakeLlm,
    onA,
    onB,
    userId,
  }) => {
    const replies = [numberedReply(20, 'a'), numberedReply(20, 'b')]
    for (const reply of replies) await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 5 })
    // One answer generated on each instance.
    const first = await backend.at(A!).startAnswer('first')
    await onA.finished(first.traceId)
    const second = await backend.at(B!).startAnswer('second')
    await onA.finished(second.traceId)
    await onB.finished(second.traceId)
    for (const witness of [onA, onB]) await expect.poll(finalWrite(witness, second.traceId)).toBe('complete')

    const seen = (witness: StreamWitness) => witness.frames.map(({ groupId, id, event }) => JSON.stringify({ groupId, id, event }))
    expect(seen(onB)).toEqual(seen(onA))
    expect(onA.events().length).toBe(2 * 21)
  })

  test('20 users spread over both instances, each answer generated on the instance its socket is not on: all complete, nothing lost, doubled or leaked', async ({
    fakeLlm,
    backend,
  }) => {
    const users = await Promise.all(Array.from({ length: 20 }, () => newSession()))
    const witnesses = await Promise.all(users.map((session, i) => StreamWitness.join(session, i % 2 ? B : A)))
    try {
      const replies = users.map((_, i) => numberedReply(30, `u${i}w`))
      await Promise.all(users.map((session, i) => fakeLlm.script({ userId: session.userId, provider: 'openai', reply: replies[i], tokenDelayMs: 5 })))
      const answers = await Promise.all(
        users.map((session, i) => backend.as(session.token).at(i % 2 ? A! : B!).startAnswer(`question ${i}`)),
      )
      for (const [i, witness] of witnesses.entries()) {
        const { traceId } = answers[i]!
        expect((await witness.finished(traceId)).event, `user ${i}: the complete event`).toMatchObject({
          type: 'complete',
          data: { content: replies[i] },
        })
        expect(tokenSeqs(witness, traceId), `user ${i}: every token once, in order`).toEqual([...Array(30).keys()])
        expect(new Set(witness.events().map((event) => event.data.traceId)), `user ${i}: only their own answer`).toEqual(new Set([traceId]))
        expect(
          witness.itemFrames.every(({ item }) => item.userId === users[i]!.userId),
          `user ${i}: only their own items`,
        ).toBe(true)
      }
    } finally {
      for (const witness of witnesses) witness.close()
      await Promise.all(users.map((session) => fakeLlm.clear(session.userId)))
    }
  })

  test('the same answerId POSTed to both instances at once: the same 202 twice, one generation', async ({ backend, fakeLlm, witness, userId }) => {
    const id = clientId()
    const reply = numberedReply(8)
    await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 20 })
    const body = { message: 'Only once, on either instance', answerId: id }
    const [onA, onB] = await Promise.all([backend.at(A!).postChat(body), backend.at(B!).postChat(body)])
    const accepted = await backend.accepted(onA)
    expect(accepted.traceId).toBe(id)
    expect(await backend.accepted(onB)).toEqual(accepted)

    await witness.finished(id)
    expect(tokenSeqs(witness, id)).toEqual([...Array(8).keys()])
    expect(await fakeLlm.requests(userId)).toHaveLength(1)
    expect(await backend.storedMessage(id)).toMatchObject({ status: 'complete', content: reply })
  })

  test('two users naming one new conversationId at once, one on each instance: one owner, one 403, nothing recorded for the other', async ({
    backend,
    fakeLlm,
    userId,
  }) => {
    const other = await newSession()
    const conversationId = clientId()
    for (const user of [userId, other.userId]) await fakeLlm.script({ userId: user, provider: 'openai', reply: 'mine' })
    const [mine, theirs] = await Promise.all([
      backend.at(A!).postChat({ message: 'first turn', conversationId }),
      backend.as(other.token).at(B!).postChat({ message: 'first turn too', conversationId }),
    ])
    const statuses = [mine.status(), theirs.status()]
    expect(statuses.sort()).toEqual([202, 403])
    const [owner, refused] = mine.status() === 202 ? [backend, backend.as(other.token)] : [backend.as(other.token), backend]
    const { traceId } = await owner.accepted(mine.status() === 202 ? mine : theirs)
    await expect.poll(async () => (await owner.storedMessage(traceId)).status).toBe('complete')
    expect(((await (mine.status() === 403 ? mine : theirs).json()) as { error: { code: string } }).error.code).toBe('conversation_forbidden')
    // The refused user's next turn in it is refused on either instance.
    for (const url of [A!, B!]) expect((await refused.at(url).postChat({ message: 'again', conversationId })).status()).toBe(403)
    await fakeLlm.clear(userId)
    await fakeLlm.clear(other.userId)
  })

  test(`answers streaming on both instances for longer than two sweeps: neither instance's sweep takes the other's for a dead one's`, async ({
    backend,
    fakeLlm,
    onA,
    userId,
  }) => {
    // 40 tokens 300 ms apart: 12 s, two sweeps (every 5 s) at least on each instance.
    const replies = [numberedReply(40, 'a'), numberedReply(40, 'b')]
    for (const reply of replies) await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 300 })
    const answers = [await backend.at(A!).startAnswer('long, on A'), await backend.at(B!).startAnswer('long, on B')]
    for (const [i, { traceId }] of answers.entries()) {
      expect((await onA.finished(traceId, 30_000)).event, `the answer on ${i ? 'B' : 'A'}`).toMatchObject({
        type: 'complete',
        data: { content: replies[i] },
      })
    }
  })
})
