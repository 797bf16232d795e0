import { chatReducer, endingNoticeText, errorNoticeText, emptyModel, switchNoticeText, type ChatAction, type ChatModel } from '@chat/client'
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
  { type: 'user_sent', answerId: TRACE, text: 'hi' },
  { type: 'post_accepted', answerId: TRACE, traceId: TRACE },
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
  const model = run(...sent, token(0, 'a'), token(2, ' c'), event({ type: 'complete', data: { traceId: TRACE, content: 'a b c', provider: 'openai', tokenCount: 3, finishReason: 'stop' } }))
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

test('events of the answer the client named apply at once, before the POST answers; the 202 only confirms', () => {
  const early = run({ type: 'user_sent', answerId: TRACE, text: 'hi' }, token(0, 'early'), token(1, ' bird'))
  expect(answer(early)).toMatchObject({ content: 'early bird', status: 'streaming' })
  expect(early.messages.map((m) => m.id)).toEqual([`${TRACE}:user`, TRACE])
  const accepted = chatReducer(early, { type: 'post_accepted', answerId: TRACE, traceId: TRACE })
  expect(accepted.messages).toEqual(early.messages)
  expect(accepted.awaiting).toEqual([])
})

test('a 202 naming another id (a backend that ignored the answerId) renames the answer', () => {
  const model = run({ type: 'user_sent', answerId: 'mine', text: 'hi' }, { type: 'post_accepted', answerId: 'mine', traceId: TRACE }, token(0, 'a'))
  expect(model.messages.map((m) => m.id)).toEqual([`${TRACE}:user`, TRACE])
  expect(answer(model).content).toBe('a')
})

test('an error event marks the answer and offers the question for retry, in our words for its code, never the server\'s', () => {
  const model = run(...sent, event({ type: 'error', data: { traceId: TRACE, code: 'all_providers_failed', message: 'Every provider failed: openai (http_5xx)' } }))
  expect(answer(model).status).toBe('error')
  expect(model.error).toEqual({ code: 'all_providers_failed', message: errorNoticeText('all_providers_failed'), retryMessage: 'hi', canRetry: true })
  expect(errorNoticeText('all_providers_failed')).not.toMatch(/http_5xx|openai/)
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

const switchEvent = (from: 'openai' | 'anthropic', to: 'openai' | 'anthropic', reason: 'stalled' | 'http_5xx' = 'stalled'): ChatAction =>
  event({ type: 'provider_switch', data: { traceId: TRACE, from, to, reason } })
const itemAction = (content: string, provider: 'openai' | 'anthropic' | null, status: 'pending' | 'streaming' | 'complete' | 'error' = 'streaming', id = TRACE): ChatAction => ({
  type: 'items',
  items: [{ id, userId: 'u', role: 'assistant', content, status, provider, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: new Date().toISOString() }],
})

test('live tokens held behind a gap are shown the moment a later item write fills it, in order, none lost or doubled', () => {
  // Tokens 2 and 3 never come live; 4 and 5 wait behind the gap until the item holds the answer up to token 4.
  const waiting = run(...sent, token(0, 't0'), token(1, ' t1'), token(4, ' t4'), token(5, ' t5'))
  expect(answer(waiting).content).toBe('t0 t1')
  const filled: ChatAction = {
    type: 'items',
    items: [
      { id: TRACE, userId: 'u', role: 'assistant', content: 't0 t1 t2 t3', tokens: 4, status: 'streaming', provider: 'openai', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: new Date().toISOString() },
    ],
  }
  const shown = chatReducer(waiting, filled)
  expect(answer(shown).content).toBe('t0 t1 t2 t3 t4 t5')
  // A late copy of a token already shown changes nothing; the next live one follows.
  expect(answer(chatReducer(chatReducer(shown, token(4, ' t4')), token(6, ' t6'))).content).toBe('t0 t1 t2 t3 t4 t5 t6')
})

test('reordered, doubled and missing tokens: every intermediate text is a prefix, complete gives the exact text', () => {
  const final = 't0 t1 t2 t3 t4 t5'
  const arrivals = [0, 2, 1, 1, 3, 5, 3, 0] // 4 never comes
  let model = run(...sent)
  const texts: string[] = []
  for (const seq of arrivals) {
    model = chatReducer(model, token(seq, seq === 0 ? 't0' : ` t${seq}`))
    texts.push(answer(model).content)
  }
  expect(texts).toEqual(['t0', 't0', 't0 t1 t2', 't0 t1 t2', 't0 t1 t2 t3', 't0 t1 t2 t3', 't0 t1 t2 t3', 't0 t1 t2 t3'])
  for (const text of texts) expect(final.startsWith(text)).toBe(true)
  model = chatReducer(model, event({ type: 'complete', data: { traceId: TRACE, content: final, provider: 'openai', tokenCount: 6, finishReason: 'stop' } }))
  expect(answer(model)).toMatchObject({ content: final, status: 'complete' })
  // Late frames after complete change nothing.
  expect(answer(chatReducer(model, token(4, ' t4'))).content).toBe(final)
})

test('after a switch, late tokens and items of the provider that failed are ignored', () => {
  const model = run(...sent, token(0, 'old'), switchEvent('openai', 'anthropic'), token(1, ' stale'), itemAction('old stale', 'openai'), token(0, 'new', 'anthropic'))
  expect(answer(model)).toMatchObject({ content: 'new', provider: 'anthropic' })
})

test('a token of the new provider before its switch event: kept, and the late event only adds the reason', () => {
  const early = run(...sent, token(0, 'old'), token(0, 'new', 'anthropic'))
  expect(answer(early)).toMatchObject({ content: 'new', provider: 'anthropic' })
  expect(answer(early).notice?.text).toBe('openai failed — switched to anthropic')
  const late = chatReducer(early, switchEvent('openai', 'anthropic', 'http_5xx'))
  expect(answer(late)).toMatchObject({ content: 'new', notice: { reason: 'http_5xx', text: 'openai failed (server error) — switched to anthropic' } })
})

test('polling sees a switch only in the item: the text is cleared and the notice names both providers', () => {
  const model = run(...sent, itemAction('', null, 'pending'), itemAction('old words', 'openai'), itemAction('', 'anthropic'))
  expect(answer(model)).toMatchObject({ content: '', provider: 'anthropic', notice: { from: 'openai', to: 'anthropic', reason: null } })
  expect(answer(chatReducer(model, itemAction('new words', 'anthropic'))).content).toBe('new words')
  expect(answer(chatReducer(model, itemAction('old words and more', 'openai'))).content).toBe('')
})

test('an item reporting the failure first: marked at once, the error event then explains it', () => {
  const failed = run(...sent, token(0, 'a'), itemAction('a', 'openai', 'error'))
  expect(answer(failed).status).toBe('error')
  expect(failed.error).toMatchObject({ code: 'answer_failed', retryMessage: 'hi' })
  const explained = chatReducer(failed, event({ type: 'error', data: { traceId: TRACE, code: 'all_providers_failed', message: 'Every provider failed' } }))
  expect(explained.error).toEqual({ code: 'all_providers_failed', message: errorNoticeText('all_providers_failed'), retryMessage: 'hi', canRetry: true })
  expect(answer(explained).error).toEqual({ code: 'all_providers_failed', message: errorNoticeText('all_providers_failed') })
})

test('items and events of a named answer before the 202 apply in order', () => {
  const model = run({ type: 'user_sent', answerId: TRACE, text: 'hi' }, itemAction('', null, 'pending'), itemAction('', 'openai'), token(0, 'a'), token(1, ' b'))
  expect(answer(model)).toMatchObject({ content: 'a b', provider: 'openai', status: 'streaming' })
})

test('events of answers nobody asked for (no POST in flight, unknown traceId) are dropped, not kept', () => {
  const model = run(token(0, 'ghost'))
  expect(model.messages).toEqual([])
  expect(run({ type: 'user_sent', answerId: 'other', text: 'hi' }, token(0, 'ghost')).messages.map((m) => m.content)).toEqual(['hi', ''])
})

test('a failed POST marks the user message and offers it for retry; the retry replaces it', () => {
  const failed = run({ type: 'user_sent', answerId: 'A1', text: 'hi' }, { type: 'post_failed', answerId: 'A1', text: 'hi', error: { code: 'unavailable', message: 'Down' } })
  expect(failed.messages).toMatchObject([{ id: 'A1:user', traceId: null, status: 'error', error: { code: 'unavailable' } }])
  expect(failed.error).toEqual({ code: 'unavailable', message: errorNoticeText('unavailable'), retryMessage: 'hi', canRetry: true })
  expect(failed.awaiting).toEqual([])
  const retried = chatReducer(failed, { type: 'user_sent', answerId: 'A2', text: 'hi', replacesFailed: true })
  expect(retried.messages.map((m) => m.id)).toEqual(['A2:user', 'A2'])
  expect(retried.error).toBeNull()
})

test('a restored conversation is ordered by createdAt, older items before newer local messages', () => {
  const item = (id: string, role: 'user' | 'assistant', second: number) => ({
    id,
    userId: 'u',
    role,
    content: id,
    status: 'complete' as const,
    provider: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString(),
    updatedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString(),
  })
  const local = run({ type: 'user_sent', answerId: 'T9', text: 'now', at: '2030-01-01T00:00:00.000Z' }, { type: 'post_accepted', answerId: 'T9', traceId: 'T9' })
  const restored = chatReducer(local, { type: 'items', items: [item('b', 'assistant', 5), item('b:user', 'user', 5), item('a', 'assistant', 1), item('a:user', 'user', 1)] })
  expect(restored.messages.map((m) => m.id)).toEqual(['a:user', 'a', 'b:user', 'b', 'T9:user', 'T9'])
})

test('only items of the conversation shown apply; "New chat" empties it, and what the previous one sends later stays out', () => {
  const at = '2025-01-01T00:00:00.000Z'
  const item = (id: string, conversationId: string) => ({
    id,
    userId: 'u',
    conversationId,
    role: 'assistant' as const,
    content: id,
    status: 'streaming' as const,
    provider: 'openai' as const,
    createdAt: at,
    updatedAt: at,
  })
  const shown = chatReducer(emptyModel('this-conversation'), { type: 'items', items: [item('mine', 'this-conversation'), item('theirs', 'other-conversation')] })
  expect(shown.messages.map((m) => m.id)).toEqual(['mine'])

  const asked = chatReducer(shown, { type: 'user_sent', answerId: 'T2', text: 'in flight' })
  const fresh = chatReducer(asked, { type: 'new_conversation', conversationId: 'next-conversation' })
  expect(fresh).toEqual(emptyModel('next-conversation'))
  const later = [
    chatReducer(fresh, { type: 'post_failed', answerId: 'T2', text: 'in flight', error: { code: 'network_error', message: 'gone' } }),
    chatReducer(fresh, { type: 'post_accepted', answerId: 'T2', traceId: 'T2-renamed' }),
    chatReducer(fresh, { type: 'items', items: [item('mine', 'this-conversation')] }),
    chatReducer(fresh, event({ type: 'complete', data: { traceId: 'mine', content: 'done', provider: 'openai', tokenCount: 1, finishReason: 'stop' } })),
  ]
  for (const model of later) expect(model).toEqual(fresh)
})

test('an answer left streaming long ago (the backend restarted) is shown as interrupted, not as in progress', () => {
  const old = new Date(Date.now() - 10 * 60_000).toISOString()
  const model = chatReducer(emptyModel(), {
    type: 'items',
    now: Date.now(),
    items: [{ id: 'X', userId: 'u', role: 'assistant', content: 'half', status: 'streaming', provider: 'openai', createdAt: old, updatedAt: old }],
  })
  expect(model.messages[0]).toMatchObject({ status: 'error', content: 'half', error: { code: 'interrupted' } })
})

test('complete with finishReason length: complete, with the cut-off notice; finishReason stop carries none', () => {
  const complete = (finishReason: 'stop' | 'length') =>
    event({ type: 'complete', data: { traceId: TRACE, content: 'a b', provider: 'openai', tokenCount: 2, finishReason } })
  expect(answer(run(...sent, token(0, 'a'), token(1, ' b'), complete('length')))).toMatchObject({
    status: 'complete',
    content: 'a b',
    endingNotice: endingNoticeText('length'),
    error: null,
  })
  expect(answer(run(...sent, token(0, 'a'), complete('stop'))).endingNotice).toBeNull()
  expect(endingNoticeText('length')).toMatch(/cut off/i)
})

test('an item completed with finishReason length (a poll, a reload) carries the cut-off notice too', () => {
  const completedItem = (finishReason: 'stop' | 'length' | undefined): ChatAction => ({
    type: 'items',
    items: [{ id: TRACE, userId: 'u', role: 'assistant', content: 'a b', status: 'complete', provider: 'openai', finishReason, createdAt: '1', updatedAt: '2' }],
  })
  // Known to this tab (a poll brings the end) and unknown to it (a reload's sync).
  expect(answer(run(...sent, token(0, 'a'), completedItem('length')))).toMatchObject({ status: 'complete', endingNotice: endingNoticeText('length') })
  expect(answer(run(completedItem('length')))).toMatchObject({ status: 'complete', endingNotice: endingNoticeText('length') })
  expect(answer(run(...sent, completedItem('stop'))).endingNotice).toBeNull()
  expect(answer(run(completedItem(undefined))).endingNotice).toBeNull()
})

test('the switch notice names the new reasons: a stream cut short, an unreadable one, no first token in time', () => {
  expect(switchNoticeText('openai', 'anthropic', 'truncated')).toBe('openai failed (answer cut short) — switched to anthropic')
  expect(switchNoticeText('openai', 'anthropic', 'malformed')).toBe('openai failed (unreadable answer) — switched to anthropic')
  expect(switchNoticeText('openai', 'anthropic', 'timeout')).toBe('openai failed (timed out) — switched to anthropic')
})
