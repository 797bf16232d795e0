import { randomBytes } from 'node:crypto'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'

// Made here rather than with the protocol's helper: these specs also ran against a backend that predates it.
const answerId = () => randomBytes(16).toString('base64url')

test.describe('POST /api/chat/stream with a client-named answerId', () => {
  test('the answerId is the answer: the 202, every event, the item and the question carry it', async ({ backend, fakeLlm, witness, userId }) => {
    const id = answerId()
    const reply = numberedReply(6)
    await fakeLlm.script({ userId, provider: 'openai', reply })
    const response = await backend.postChat({ message: 'Named by me', answerId: id })
    expect(response.status()).toBe(202)
    expect(await response.json()).toEqual({ traceId: id, streamName: 'chat-messages', groupId: `user:${userId}` })

    const done = await witness.finished(id)
    expect(done.event).toMatchObject({ type: 'complete', data: { traceId: id, content: reply } })
    const tokens = witness.events(id).filter((e) => e.type === 'token')
    expect(tokens).toHaveLength(6)
    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([id]))
    expect(await backend.storedMessage(id)).toMatchObject({ id, role: 'assistant', status: 'complete', content: reply })
    expect(await backend.storedMessage(`${id}:user`)).toMatchObject({ role: 'user', content: 'Named by me' })
  })

  test('the same POST twice (at once, and again after the answer): the same 202, one generation, one item', async ({ backend, fakeLlm, witness, userId }) => {
    const id = answerId()
    const reply = numberedReply(5)
    await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 20 })
    const body = { message: 'Only once, please', answerId: id }
    const [first, second] = await Promise.all([backend.postChat(body), backend.postChat(body)])
    const accepted = await backend.accepted(first)
    expect(accepted.traceId).toBe(id)
    expect(await backend.accepted(second)).toEqual(accepted)

    await witness.finished(id)
    const stored = await backend.storedMessage(id)
    expect(stored).toMatchObject({ status: 'complete', content: reply })

    const again = await backend.postChat(body)
    expect(again.status()).toBe(202)
    expect(await again.json()).toEqual(accepted)
    // Nothing more happens: no second request to the provider, no item rewritten (back to pending), no more events.
    // A later answer is the witness: a generation the repeat had started would be queued before it, and reach the
    // provider first; once the later answer is complete, anything the repeat set off has shown itself.
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Noted.' })
    const later = await backend.startAnswer('Asked after the repeat')
    await witness.finished(later.traceId)
    expect((await fakeLlm.requests(userId)).map((r) => r.prompt)).toEqual(['Only once, please', 'Asked after the repeat'])
    expect(await backend.storedMessage(id)).toEqual(stored)
    expect(witness.events(id).filter((e) => e.type === 'complete')).toHaveLength(1)
    expect(witness.events(id).filter((e) => e.type === 'token')).toHaveLength(5)
  })

  for (const [name, bad] of [
    ['too short', 'abc'],
    ['a colon', 'aaaaaaaaaaaaaaaa:user'],
    ['a slash', 'aaaaaaaa/aaaaaaaaaaaa'],
    ['too long', 'a'.repeat(65)],
    ['not a string', 12345678901234567890],
  ] as const) {
    test(`an invalid answerId (${name}) is a 400 JSON error, and nothing is asked of the provider`, async ({ backend, fakeLlm, userId }) => {
      const response = await backend.postChat({ message: 'Bad id', answerId: bad })
      expect(response.status()).toBe(400)
      expect(response.headers()['content-type']).toContain('application/json')
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('answerId') } })
      expect(await fakeLlm.requests(userId)).toHaveLength(0)
    })
  }

  test("ids are per user: another user's answer with the same answerId is their own", async ({ backend, fakeLlm, witness, userId }) => {
    const id = answerId()
    const otherSession = await newSession()
    const other = await StreamWitness.join(otherSession)
    const otherBackend = backend.as(otherSession.token)
    try {
      await fakeLlm.script({ userId, provider: 'openai', reply: 'Yours.' })
      await fakeLlm.script({ userId: otherSession.userId, provider: 'openai', reply: 'Theirs.' })
      expect((await backend.startAnswer('mine', { answerId: id })).traceId).toBe(id)
      const theirs = await otherBackend.startAnswer('theirs', { answerId: id })
      expect(theirs).toEqual({ traceId: id, streamName: 'chat-messages', groupId: `user:${otherSession.userId}` })

      const [mine, their] = await Promise.all([witness.finished(id), other.finished(id)])
      expect(mine.event).toMatchObject({ type: 'complete', data: { content: 'Yours.' } })
      expect(their.event).toMatchObject({ type: 'complete', data: { content: 'Theirs.' } })
      expect(await (await backend.message(id)).json()).toMatchObject({ userId, content: 'Yours.' })
      expect(await (await otherBackend.message(id)).json()).toMatchObject({ userId: otherSession.userId, content: 'Theirs.' })
      expect(await (await otherBackend.message(`${id}:user`)).json()).toMatchObject({ content: 'theirs' })
      expect(await fakeLlm.requests(otherSession.userId)).toHaveLength(1)
    } finally {
      other.close()
      await fakeLlm.clear(otherSession.userId)
    }
  })
})
