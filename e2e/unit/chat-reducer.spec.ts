import { chatReducer, emptyModel, revealNextWord, type ChatAction, type ChatModel } from '@chat/client'
import type { ChatEvent } from '@chat/protocol'
import { expect, test } from '@playwright/test'

const TRACE = 'T1'
const token = (seq: number, text: string, provider: 'openai' | 'anthropic' = 'openai'): ChatAction => ({
  type: 'event',
  event: { type: 'token', data: { traceId: TRACE, seq, token: text, provider } },
})
const event = (e: ChatEvent): ChatAction => ({ type: 'event', event: e })
const run = (...actions: ChatAction[]): ChatModel => actions.reduce(chatReducer, emptyModel())
const sent: ChatAction[] = [
  { type: 'user_sent', localId: 'local-1', text: 'hi' },
  { type: 'post_accepted', localId: 'local-1', traceId: TRACE },
]
const answer = (model: ChatModel) => model.messages.find((m) => m.id === TRACE)!

test('tokens in order make the text', () => {
  expect(answer(run(...sent, token(0, 'a'), token(1, ' b'), token(2, ' c'))).content).toBe('a b c')
})

test('a duplicate token is ignored', () => {
  expect(answer(run(...sent, token(0, 'a'), token(1, ' b'), token(1, ' b'), token(0, 'a'))).content).toBe('a b')
})

test('an early token waits for the gap, then both show in order', () => {
  const held = run(...sent, token(0, 'a'), token(2, ' c'))
  expect(answer(held).content).toBe('a')
  expect(answer(chatReducer(held, token(1, ' b'))).content).toBe('a b c')
})

test('complete makes the text exactly the content, even when a token was lost', () => {
  const model = run(...sent, token(0, 'a'), token(2, ' c'), event({ type: 'complete', data: { traceId: TRACE, content: 'a b c', provider: 'openai', tokenCount: 3 } }))
  expect(answer(model)).toMatchObject({ content: 'a b c', status: 'complete', provider: 'openai' })
})

test('provider_switch clears the partial text, names both providers, and the new provider starts at seq 0', () => {
  const model = run(
    ...sent,
    token(0, 'old'),
    token(1, ' words'),
    event({ type: 'provider_switch', data: { traceId: TRACE, from: 'openai', to: 'anthropic', reason: 'stalled' } }),
  )
  expect(answer(model).content).toBe('')
  expect(answer(model).notice?.text).toBe('openai failed (stalled) — switched to anthropic')
  const continued = [token(0, 'new', 'anthropic'), token(1, ' text', 'anthropic')].reduce(chatReducer, model)
  expect(answer(continued)).toMatchObject({ content: 'new text', provider: 'anthropic', status: 'streaming' })
})

test('events that arrive before the POST answers are applied once its traceId is known', () => {
  const model = run(
    { type: 'user_sent', localId: 'local-1', text: 'hi' },
    token(0, 'early'),
    token(1, ' bird'),
    { type: 'post_accepted', localId: 'local-1', traceId: TRACE },
  )
  expect(answer(model).content).toBe('early bird')
  expect(model.messages.map((m) => m.id)).toEqual([`${TRACE}:user`, TRACE])
})

test('an error event marks the answer and offers the question for retry', () => {
  const model = run(...sent, event({ type: 'error', data: { traceId: TRACE, code: 'all_providers_failed', message: 'Every provider failed' } }))
  expect(answer(model).status).toBe('error')
  expect(model.error).toEqual({ code: 'all_providers_failed', message: 'Every provider failed', retryMessage: 'hi' })
})

test('item text extends the tokens only when it agrees with them', () => {
  const base = run(...sent, token(0, 'a'))
  const item = (content: string) => ({
    type: 'items' as const,
    items: [{ id: TRACE, userId: 'u', role: 'assistant' as const, content, status: 'streaming' as const, provider: 'openai' as const, createdAt: '1', updatedAt: '2' }],
  })
  expect(answer(chatReducer(base, item('a b c'))).content).toBe('a b c')
  expect(answer(chatReducer(base, item('x y'))).content).toBe('a')
})

test('polled text is revealed one word at a time, and a cleared text at once', () => {
  expect(revealNextWord('', 'one two three')).toBe('one')
  expect(revealNextWord('one', 'one two three')).toBe('one two')
  expect(revealNextWord('one two', 'one two three')).toBe('one two three')
  expect(revealNextWord('old text', 'new')).toBe('new')
})
