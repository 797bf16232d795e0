import type { ChatMessage } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { StreamWitness, type ReceivedItem } from '../../fixtures/backend/stream-witness'

const TOKENS = 300
const JOINS = 20
/** The last join comes with a fifth of the answer still to stream. */
const JOIN_EVERY = Math.floor((TOKENS * 0.8) / JOINS)

/** One write of the item, as every socket sees it (what Motia adds to a frame left out). */
const versionKey = ({ item }: ReceivedItem): string => {
  const { id, status, provider, content, updatedAt }: ChatMessage = item
  return JSON.stringify([id, status, provider, content, updatedAt])
}

test('20 sockets joining at spread points of one long answer: each misses nothing written after its sync, each write counts the tokens it holds, and each ends exactly', async ({
  backend,
  fakeLlm,
  session,
  userId,
  witness,
}) => {
  const reply = numberedReply(TOKENS)
  await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 5 })
  const { traceId } = await backend.startAnswer('A long answer, please')

  const joining: Promise<StreamWitness>[] = []
  for (let i = 0; i < JOINS; i++) {
    const seq = i * JOIN_EVERY
    await witness.waitFor((all) => all.find((r) => r.event.type === 'token' && r.event.data.traceId === traceId && r.event.data.seq >= seq))
    joining.push(StreamWitness.join(session))
  }
  const joiners = await Promise.all(joining)
  try {
    const done = await witness.finished(traceId)
    expect(done.event).toMatchObject({ type: 'complete', data: { content: reply } })
    // Every write of the answer item, in order (the witness joined before the answer existed).
    await expect.poll(() => witness.versionsOf(traceId).at(-1)?.item.status).toBe('complete')
    const written = witness.versionsOf(traceId).map(versionKey)

    for (const [i, joiner] of joiners.entries()) {
      const [synced] = joiner.versionsOf(traceId)
      expect(synced?.via, `join ${i}: its sync holds the answer`).toBe('sync')
      if (synced!.item.status !== 'complete') {
        const finished = await joiner.finished(traceId, 5_000)
        expect(finished.event, `join ${i}: the complete event`).toMatchObject({ type: 'complete', data: { content: reply } })
      }
      // The final write's frame may come just after the complete event.
      await expect.poll(() => joiner.versionsOf(traceId).at(-1)?.item.status, { message: `join ${i}: the final write` }).toBe('complete')
      const changes = joiner.versionsOf(traceId).slice(1)
      const from = written.indexOf(versionKey(synced!))
      expect(from, `join ${i}: its sync holds a version the backend wrote`).toBeGreaterThanOrEqual(0)
      // A change already in the sync may come again; none written after the sync may be missing.
      const later = changes.map(versionKey).filter((key) => written.indexOf(key) > from)
      expect(later, `join ${i}: every write after its sync (sync = write ${from} of ${written.length})`).toEqual(written.slice(from + 1))

      const shown = [synced!, ...changes].map((v) => v.item.content).concat(reply)
      for (const text of shown) expect(reply.startsWith(text), `join ${i}: "${text.slice(-20)}" is a prefix`).toBe(true)

      const seqs = joiner.events(traceId).flatMap((e) => (e.type === 'token' ? [e.data.seq] : []))
      expect(seqs, `join ${i}: tokens from its first on, in order, none missing`).toEqual(seqs.map((_, k) => (seqs[0] ?? 0) + k))
      expect(seqs.at(-1) ?? TOKENS - 1).toBe(TOKENS - 1)
      // Each write says how many tokens its text holds: a joiner's live tokens go on from there.
      for (const { item } of [synced!, ...changes].filter((v) => v.item.status === 'streaming')) {
        expect(item.tokens, `join ${i}: a write counts its tokens`).toBeDefined()
        expect(item.content, `join ${i}: a write's text is its first ${item.tokens} tokens`).toBe(firstTokens(reply, item.tokens!))
      }
    }
  } finally {
    for (const joiner of joiners) joiner.close()
  }
})
