import { errorBodySchema, MAX_MESSAGE_CHARS, newAnswerId, newConversationId, userMessageIdFor } from '@chat/protocol'
import { DEFAULT_HISTORY_BUDGET_CHARS } from '../../apps/backend/lib/config'
import type { BackendApi } from '../../fixtures/backend/backend-api'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { numberedReply } from '../../fixtures/replies'
import { expect, test } from '../../fixtures/test'

/** Asks one turn of a conversation and waits for its answer to end; returns the terminal event. */
const ask = async (backend: BackendApi, witness: StreamWitness, message: string, conversationId?: string) => {
  const { traceId } = await backend.startAnswer(message, conversationId ? { conversationId } : {})
  return (await witness.finished(traceId)).event
}

const user = (content: string) => ({ role: 'user', content })
const assistant = (content: string) => ({ role: 'assistant', content })

test.describe('each answer is asked with the conversation so far', () => {
  test('three turns: the third request holds turns 1 and 2 exactly, in order, in the OpenAI format', async ({ backend, witness, fakeLlm, userId }) => {
    const conversationId = newConversationId()
    const replies = ['Nice to meet you, Ada.', 'Noted: blue.', 'Your name is Ada.']
    for (const reply of replies) await fakeLlm.script({ userId, provider: 'openai', reply })

    expect(await ask(backend, witness, 'My name is Ada.', conversationId)).toMatchObject({ type: 'complete' })
    expect(await ask(backend, witness, 'My favourite colour is blue.', conversationId)).toMatchObject({ type: 'complete' })
    expect(await ask(backend, witness, 'What is my name?', conversationId)).toMatchObject({ type: 'complete', data: { content: replies[2] } })

    const requests = await fakeLlm.requests(userId)
    expect(requests.map((r) => r.provider)).toEqual(['openai', 'openai', 'openai'])
    expect(requests.map((r) => r.messages)).toEqual([
      [user('My name is Ada.')],
      [user('My name is Ada.'), assistant(replies[0]!), user('My favourite colour is blue.')],
      [user('My name is Ada.'), assistant(replies[0]!), user('My favourite colour is blue.'), assistant(replies[1]!), user('What is my name?')],
    ])
    expect(requests.every((r) => r.system === undefined)).toBe(true)
  })

  test('a provider switch mid-answer: the second provider is sent the same history, in the Anthropic format', async ({
    backend,
    witness,
    fakeLlm,
    userId,
  }) => {
    const conversationId = newConversationId()
    const first = 'Hello, Ada.'
    const second = numberedReply(5, 'a')
    const third = numberedReply(4, 'b')
    await fakeLlm.script({ userId, provider: 'openai', reply: first })
    // Turn 2 fails over after 3 tokens: its history entry is the answer anthropic completed, not openai's partial one.
    await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(8, 'o'), failure: { kind: 'http_500', afterTokens: 3 } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: second })
    await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(8, 'p'), failure: { kind: 'http_500', afterTokens: 2 } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: third })

    await ask(backend, witness, 'My name is Ada.', conversationId)
    expect(await ask(backend, witness, 'Count for me.', conversationId)).toMatchObject({ type: 'complete', data: { provider: 'anthropic', content: second } })
    expect(await ask(backend, witness, 'What is my name?', conversationId)).toMatchObject({ type: 'complete', data: { provider: 'anthropic', content: third } })

    const requests = await fakeLlm.requests(userId)
    expect(requests.map((r) => `${r.provider}:${r.outcome}`)).toEqual(['openai:complete', 'openai:http_500', 'anthropic:complete', 'openai:http_500', 'anthropic:complete'])
    const history = [user('My name is Ada.'), assistant(first), user('Count for me.'), assistant(second), user('What is my name?')]
    expect(requests[3]!.messages).toEqual(history)
    expect(requests[4]!.messages).toEqual(history)
    // Anthropic's own shape: alternating user/assistant, starting and ending with the user, no system prompt.
    expect(requests[4]!.messages.map((m) => (m as { role: string }).role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user'])
    expect(requests[4]!.system).toBeUndefined()
  })

  test('a failed answer is left out of the history, with its question', async ({ backend, witness, fakeLlm, userId }) => {
    const conversationId = newConversationId()
    await fakeLlm.script({ userId, provider: 'openai', reply: 'First answer.' })
    await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(6, 'x'), failure: { kind: 'http_500', afterTokens: 2 } })
    // The answer ends failed with part of a text stored: that text is not an answer to send as history.
    await fakeLlm.script({ userId, provider: 'anthropic', reply: numberedReply(6, 'y'), failure: { kind: 'http_500', afterTokens: 2 } })
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Third answer.' })

    await ask(backend, witness, 'First question', conversationId)
    const doomed = await ask(backend, witness, 'Doomed question', conversationId)
    expect(doomed).toMatchObject({ type: 'error', data: { code: 'all_providers_failed' } })
    // The error event goes out before the item's final write.
    await expect.poll(async () => (await backend.message(doomed.data.traceId)).json()).toMatchObject({ status: 'error', content: 'y01 y02' })
    await ask(backend, witness, 'Third question', conversationId)

    const last = (await fakeLlm.requests(userId)).at(-1)!
    expect(last.messages).toEqual([user('First question'), assistant('First answer.'), user('Third question')])
  })

  test('past the history budget the oldest turns are dropped first, never the current message', async ({ backend, witness, fakeLlm, userId }) => {
    const budget = Number(process.env.HISTORY_BUDGET_CHARS ?? DEFAULT_HISTORY_BUDGET_CHARS)
    // Turns as long as a message may be: `fits` of them fit in the budget, one more does not.
    const answer = (n: number) => `answer ${String(n).padStart(3, "0")}`
    const question = (n: number) => `${n} `.padEnd(MAX_MESSAGE_CHARS, 'q')
    const turnChars = question(1).length + answer(1).length
    const fits = Math.floor(budget / turnChars)
    const earlier = fits + 1
    for (let n = 1; n <= earlier + 1; n++) await fakeLlm.script({ userId, provider: 'openai', reply: answer(n) })
    const conversationId = newConversationId()
    for (let n = 1; n <= earlier + 1; n++) await ask(backend, witness, question(n), conversationId)

    const last = (await fakeLlm.requests(userId)).at(-1)!
    const kept = Array.from({ length: fits }, (_, i) => 2 + i)
    expect(last.messages).toEqual([...kept.flatMap((n) => [user(question(n)), assistant(answer(n))]), user(question(earlier + 1))])
  })

  test('two conversations of one user do not mix', async ({ backend, witness, fakeLlm, userId }) => {
    const a = newConversationId()
    const b = newConversationId()
    for (const reply of ['A one.', 'B one.', 'A two.', 'B two.']) await fakeLlm.script({ userId, provider: 'openai', reply })

    await ask(backend, witness, 'In A: first', a)
    await ask(backend, witness, 'In B: first', b)
    await ask(backend, witness, 'In A: second', a)
    await ask(backend, witness, 'In B: second', b)
    // A turn without a conversation is a turn of its own.
    await ask(backend, witness, 'No conversation')

    expect((await fakeLlm.requests(userId)).map((r) => r.messages)).toEqual([
      [user('In A: first')],
      [user('In B: first')],
      [user('In A: first'), assistant('A one.'), user('In A: second')],
      [user('In B: first'), assistant('B one.'), user('In B: second')],
      [user('No conversation')],
    ])
  })

  test("another user's conversation id is refused with a 403 JSON error and changes nothing", async ({ backend, witness, fakeLlm, userId }) => {
    const conversationId = newConversationId()
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Secret kept.' })
    await ask(backend, witness, 'My secret is 42.', conversationId)

    const mallory = await newSession()
    const malloryWitness = await StreamWitness.join(mallory)
    try {
      const intruder = backend.as(mallory.token)
      const refused = await intruder.postChat({ message: 'What is the secret?', conversationId })
      expect(refused.status()).toBe(403)
      expect(errorBodySchema.parse(await refused.json()).error.code).toBe('conversation_forbidden')
      // Even with an answerId of its own, and after the refusal, it stays refused.
      const again = await intruder.postChat({ message: 'What is the secret?', conversationId, answerId: newAnswerId() })
      expect(again.status()).toBe(403)

      // Mallory's own chat goes on untouched: nothing stored, nothing asked of a provider, nothing published.
      await fakeLlm.script({ userId: mallory.userId, provider: 'openai', reply: 'Fresh.' })
      const fresh = await ask(intruder, malloryWitness, 'My own chat', newConversationId())
      expect(fresh).toMatchObject({ type: 'complete', data: { content: 'Fresh.' } })
      expect((await fakeLlm.requests(mallory.userId)).map((r) => r.messages)).toEqual([[user('My own chat')]])
      expect(new Set(malloryWitness.events().map((e) => e.data.traceId))).toEqual(new Set([fresh.data.traceId]))
      expect(new Set(malloryWitness.items.keys())).toEqual(new Set([fresh.data.traceId, userMessageIdFor(fresh.data.traceId)]))

      // The owner continues; the history is still only the owner's.
      await fakeLlm.script({ userId, provider: 'openai', reply: 'It is 42.' })
      await ask(backend, witness, 'What is my secret?', conversationId)
      expect((await fakeLlm.requests(userId)).at(-1)!.messages).toEqual([user('My secret is 42.'), assistant('Secret kept.'), user('What is my secret?')])
    } finally {
      malloryWitness.close()
    }
  })
})
