import { currentConversation } from '@chat/client'
import { ANSWER_ID_PATTERN, ChatMessage, CLIENT_ANSWER_STALL_SECONDS, CONVERSATION_ID_PATTERN, groupIdFor, STREAM_NAME } from '@chat/protocol'
import { Stream } from '@motiadev/stream-client-browser'
import { expect, test } from '@playwright/test'
import { memoryStorage, startChat, words } from './support/controller-harness'
import { FakeMotia, installWebSocket, sleep } from './support/fake-motia'
import { manualClock } from './support/manual-clock'

// The controller against Motia 0.17's real socket server and its real browser client (on `ws` for Node).
test.describe.configure({ mode: 'serial' })

let fake: FakeMotia
test.beforeAll(async () => {
  installWebSocket()
  fake = await FakeMotia.start()
})
test.afterAll(async () => fake.close())
test.beforeEach(() => {
  Object.assign(fake, { joinDelayMs: 0, duringJoin: null, refuseSockets: false, silentJoins: false, failNextPost: null, beforeAccept: null })
  fake.onPost = () => undefined
})

const connected = (userId: string) => `[MotiaStream] Connected to ${STREAM_NAME}:${groupIdFor(userId)}`
const disconnected = (userId: string) => `[MotiaStream] Disconnected from ${STREAM_NAME}:${groupIdFor(userId)}`
const lastTrace = (chat: ReturnType<typeof startChat>) => chat.state().messages.filter((m) => m.role === 'assistant').at(-1)?.id ?? ''

test('Motia 0.17 answers a join before registering it: what is published in between never arrives', async () => {
  const userId = 'trap-user'
  const received: string[] = []
  fake.joinDelayMs = 200
  fake.duringJoin = () => fake.publish(userId, { type: 'error', data: { traceId: 'lost', code: 'x', message: 'published before the sync' } })
  const stream = new Stream(`${fake.url.replace('http', 'ws')}/streams/${STREAM_NAME}/${groupIdFor(userId)}`)
  const group = stream.subscribeGroup<ChatMessage>(STREAM_NAME, groupIdFor(userId))
  group.onEvent('error', (data: { traceId: string }) => received.push(data.traceId))
  await expect.poll(() => fake.connections).toBeGreaterThan(0)
  await sleep(400)
  fake.publish(userId, { type: 'error', data: { traceId: 'kept', code: 'x', message: 'published after the sync' } })
  await expect.poll(() => received).toEqual(['kept'])
  group.close()
  stream.close()
})

test('connected (websocket, canSend) only once the join was answered by its sync; the exact console line', async () => {
  fake.joinDelayMs = 300
  const chat = startChat(fake)
  await sleep(150)
  expect(chat.state()).toMatchObject({ transport: 'connecting', canSend: false })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  expect(chat.state().canSend).toBe(true)
  expect(chat.lines).toEqual([connected(chat.userId)])
  chat.controller.close()
})

test('a streamed answer: tokens shown in seq order as they come, the final text from complete, canSend off meanwhile', async () => {
  const chat = startChat(fake)
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(12)
  let streaming: boolean | null = null
  fake.onPost = async (context) => {
    await fake.streamAnswer(context, reply, { delayMs: 15, complete: false })
    streaming = chat.state().isStreaming && !chat.state().canSend
    fake.finish(context, reply.join(''), 'openai', reply.length)
  }
  const getsBefore = fake.gets
  await chat.controller.send('  Hello there  ')
  const traceId = lastTrace(chat)
  await expect.poll(() => chat.answer(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)).toMatchObject({ content: reply.join(''), provider: 'openai' })
  expect(streaming).toBe(true)
  expect(chat.state().canSend).toBe(true)
  expect(chat.state().messages.map((m) => [m.role, m.id])).toEqual([
    ['user', `${traceId}:user`],
    ['assistant', traceId],
  ])
  const texts = chat.texts(traceId)
  expect(texts.length).toBeGreaterThan(8)
  for (const text of texts) expect(reply.join('').startsWith(text)).toBe(true)
  expect(fake.gets).toBe(getsBefore)
  chat.controller.close()
})

test('tokens of an answer whose 202 has not been read yet are painted at once: the client named the answer', async () => {
  const chat = startChat(fake)
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(6, 'early')
  const early = reply.slice(0, 3).join('')
  let shownBefore202: string | undefined
  fake.beforeAccept = async (context) => {
    await fake.streamAnswer(context, reply.slice(0, 3), { complete: false })
    // The 202 is held back until the tokens are painted (or 1 s passed).
    for (const until = Date.now() + 1000; Date.now() < until && chat.answer(context.traceId)?.content !== early; ) await sleep(10)
    shownBefore202 = chat.answer(context.traceId)?.content
  }
  fake.onPost = async (context) => {
    for (const [i, token] of reply.slice(3).entries()) fake.publish(context.userId, { type: 'token', data: { traceId: context.traceId, seq: i + 3, token, provider: 'openai' } })
    fake.finish(context, reply.join(''), 'openai', reply.length)
  }
  await chat.controller.send('Quick')
  expect(shownBefore202).toBe(early)
  const answerId = fake.postedAnswerIds.at(-1)
  expect(answerId).toMatch(ANSWER_ID_PATTERN)
  expect(lastTrace(chat)).toBe(answerId)
  await fake.settled()
  await expect.poll(() => chat.answer(lastTrace(chat))?.status).toBe('complete')
  expect(chat.answer(lastTrace(chat))?.content).toBe(reply.join(''))
  expect(chat.state().messages.map((m) => m.id)).toEqual([`${answerId}:user`, answerId])
  chat.controller.close()
})

test('a browser that refuses the socket: polling at once, the answer revealed word by word, polls stop at complete', async () => {
  installWebSocket(
    class {
      constructor() {
        throw new DOMException('blocked by the test', 'SecurityError')
      }
    },
  )
  try {
    const chat = startChat(fake, { connectTimeoutMs: 5000 })
    await expect.poll(() => chat.state().transport, { timeout: 1000 }).toBe('polling')
    expect(chat.state().canSend).toBe(true)
    expect(chat.lines.some((line) => /falling back to polling/.test(line))).toBe(true)
    expect(chat.lines).not.toContain(disconnected(chat.userId))
    const reply = words(40)
    fake.onPost = (context) => fake.streamAnswer(context, reply, { delayMs: 10, itemEvery: 10 })
    const getsBefore = fake.gets
    await chat.controller.send('Poll me')
    const traceId = lastTrace(chat)
    await expect.poll(() => chat.answer(traceId)?.status, { timeout: 10_000 }).toBe('complete')
    expect(chat.answer(traceId)?.content).toBe(reply.join(''))
    const texts = chat.texts(traceId)
    for (const text of texts) expect(reply.join('').startsWith(text)).toBe(true)
    // Word by word: many more distinct texts than polls that saw a change.
    expect(texts.length).toBeGreaterThan(12)
    const gets = fake.gets
    expect(gets - getsBefore).toBeLessThan(20)
    await sleep(700)
    expect(fake.gets).toBe(gets)
    chat.controller.close()
  } finally {
    installWebSocket()
  }
})

test('a join never answered: after connectTimeoutMs the chat polls and may send; the socket keeps being retried', async () => {
  fake.silentJoins = true
  const connectionsBefore = fake.connections
  const chat = startChat(fake, { connectTimeoutMs: 400 })
  await sleep(250)
  expect(chat.state()).toMatchObject({ transport: 'connecting', canSend: false })
  await expect.poll(() => chat.state().transport).toBe('polling')
  expect(chat.state().canSend).toBe(true)
  // Retried while polling: a second socket (its join unanswered too) before the joins are answered again.
  await expect.poll(() => fake.connections - connectionsBefore).toBeGreaterThanOrEqual(2)
  expect(chat.state().transport).toBe('polling')
  fake.silentJoins = false
  await expect.poll(() => chat.state().transport, { timeout: 3000 }).toBe('websocket')
  expect(chat.lines.filter((line) => /falling back to polling/.test(line))).toHaveLength(1)
  expect(chat.lines.some((line) => /WebSocket is back/.test(line))).toBe(true)
  expect(chat.lines.at(-2)).toBe(connected(chat.userId))
  chat.controller.close()
})

test('a socket dropped mid-answer: polled meanwhile, the socket takes over again, no word lost or doubled', async () => {
  const chat = startChat(fake, {}, { reconnectDelaysMs: [400] })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(60)
  fake.onPost = (context) => fake.streamAnswer(context, reply, { delayMs: 15 })
  const sending = chat.controller.send('Drop me')
  await expect.poll(() => chat.state().messages.find((m) => m.role === 'assistant')?.content.length ?? 0).toBeGreaterThan(20)
  fake.dropSockets()
  await expect.poll(() => chat.state().transport).toBe('polling')
  await expect.poll(() => chat.state().transport).toBe('websocket')
  await sending
  const traceId = lastTrace(chat)
  await expect.poll(() => chat.answer(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  for (const text of chat.texts(traceId)) expect(reply.join('').startsWith(text)).toBe(true)
  expect(chat.lines).toContain(disconnected(chat.userId))
  expect(chat.lines.filter((line) => line === connected(chat.userId))).toHaveLength(2)
  const gets = fake.gets
  expect(gets).toBeGreaterThan(0)
  await sleep(500)
  expect(fake.gets).toBe(gets)
  chat.controller.close()
})

test('the complete lost in the join window of a reconnection: the watchdog reads the item and finishes the answer', async () => {
  const chat = startChat(fake, { pollIntervalMs: 60_000 }, { reconnectDelaysMs: [50], silenceCheckMs: 500 })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(8)
  let finish = () => undefined as void
  fake.onPost = async (context) => {
    await fake.streamAnswer(context, reply, { complete: false })
    finish = () => fake.finish(context, reply.join(''), 'openai', reply.length)
  }
  await chat.controller.send('Lose my ending')
  await fake.settled()
  const traceId = lastTrace(chat)
  await expect.poll(() => chat.answer(traceId)?.content).toBe(reply.join(''))
  fake.joinDelayMs = 300
  fake.duringJoin = () => finish()
  fake.dropSockets()
  await expect.poll(() => chat.state().transport).toBe('polling')
  await expect.poll(() => chat.state().transport).toBe('websocket')
  expect(chat.answer(traceId)?.status).toBe('streaming')
  await expect.poll(() => chat.answer(traceId)?.status, { timeout: 3000 }).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  chat.controller.close()
})

test('an open socket that stopped delivering: spotted by the watchdog, the answer polled, the socket renewed', async () => {
  const chat = startChat(fake, {}, { silenceCheckMs: 400 })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(40)
  fake.onPost = async (context) => {
    await fake.streamAnswer(context, reply.slice(0, 10), { complete: false })
    fake.muteSockets()
    for (const i of reply.slice(10).keys()) {
      await sleep(80)
      fake.updateItem(context.userId, context.traceId, { content: reply.slice(0, 11 + i).join('') })
    }
    fake.finish(context, reply.join(''), 'openai', reply.length)
  }
  await chat.controller.send('Go quiet')
  const traceId = lastTrace(chat)
  await expect.poll(() => chat.answer(traceId)?.status, { timeout: 8000 }).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  expect(chat.lines.some((line) => /stopped delivering/.test(line))).toBe(true)
  await expect.poll(() => chat.state().transport).toBe('websocket')
  chat.controller.close()
})

test('close() really stops: no reconnection after a drop, unlike the official Stream', async () => {
  const chat = startChat(fake, {}, { reconnectDelaysMs: [300] })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  fake.dropSockets()
  await expect.poll(() => chat.state().transport).toBe('polling')
  const states = chat.states.length
  chat.controller.close()
  const before = fake.connections
  await sleep(2500)
  expect(fake.connections).toBe(before)
  expect(chat.states.length).toBe(states)

  // The official client, closed the same way, opens a new socket 2 s after the drop.
  const official = new Stream(`${fake.url.replace('http', 'ws')}/streams/x`)
  official.subscribeGroup(STREAM_NAME, 'user:official')
  await expect.poll(() => fake.connections).toBe(before + 1)
  fake.dropSockets()
  await sleep(100)
  official.close()
  await sleep(2500)
  expect(fake.connections).toBe(before + 2)
  Object.assign(official, { onSocketClose: () => undefined })
  fake.dropSockets()
})

test('a failed POST: the server message, the user message marked, retry resends and replaces it', async () => {
  const chat = startChat(fake)
  await expect.poll(() => chat.state().transport).toBe('websocket')
  fake.failNextPost = { status: 503, body: { error: { code: 'unavailable', message: 'The chat service is unavailable.' } } }
  await chat.controller.send('Try me')
  expect(chat.state().error).toEqual({ code: 'unavailable', message: 'The chat service is unavailable.', retryMessage: 'Try me' })
  expect(chat.state().messages).toMatchObject([{ role: 'user', content: 'Try me', status: 'error', error: { code: 'unavailable' } }])
  expect(chat.state().canSend).toBe(true)
  fake.onPost = (context) => fake.streamAnswer(context, words(3, 'ok'))
  await chat.controller.retry()
  await expect.poll(() => chat.state().messages.at(-1)?.status).toBe('complete')
  expect(chat.state().error).toBeNull()
  // A retry is a new answer: it names a new id.
  const [failedId, retriedId] = fake.postedAnswerIds.slice(-2)
  expect(failedId).toMatch(ANSWER_ID_PATTERN)
  expect(retriedId).toMatch(ANSWER_ID_PATTERN)
  expect(retriedId).not.toBe(failedId)
  expect(chat.state().messages.map((m) => [m.role, m.content, m.status])).toEqual([
    ['user', 'Try me', 'complete'],
    ['assistant', 'ok1 ok2 ok3', 'complete'],
  ])
  chat.controller.close()
})

test('the backend unreachable: a network error, and no answer left waiting', async () => {
  const chat = startChat({ url: 'http://127.0.0.1:9' } as FakeMotia, { connectTimeoutMs: 300 })
  await expect.poll(() => chat.state().transport).toBe('polling')
  await chat.controller.send('Anyone?')
  expect(chat.state().error).toMatchObject({ code: 'network_error', retryMessage: 'Anyone?' })
  expect(chat.state().isStreaming).toBe(false)
  chat.controller.close()
})

test('a reload shows the conversation again, in createdAt order, and an answer in progress keeps growing', async () => {
  const userId = `reload-${process.pid}`
  const storage = memoryStorage()
  const conversationId = currentConversation(userId, storage)
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString()
  const item = (id: string, role: 'user' | 'assistant', content: string, s: number, status: ChatMessage['status'] = 'complete'): ChatMessage => ({
    id,
    userId,
    conversationId,
    role,
    content,
    status,
    provider: role === 'assistant' ? 'openai' : null,
    createdAt: at(s),
    updatedAt: status === 'complete' ? at(s) : new Date().toISOString(),
  })
  for (const message of [
    item('b', 'assistant', 'second answer', 10),
    item('a:user', 'user', 'first question', 1),
    item('c', 'assistant', 'third', 20, 'streaming'),
    item('a', 'assistant', 'first answer', 1),
    item('b:user', 'user', 'second question', 10),
    item('c:user', 'user', 'third question', 20),
    // Another conversation of the same user: not part of this one.
    { ...item('z', 'assistant', 'elsewhere', 5), conversationId: 'another-conversation-id' },
    { ...item('z:user', 'user', 'asked elsewhere', 5), conversationId: 'another-conversation-id' },
  ])
    fake.setItem(message, false)
  const chat = startChat(fake, { storage }, {}, userId)
  await expect.poll(() => chat.state().messages.map((m) => m.content)).toEqual([
    'first question',
    'first answer',
    'second question',
    'second answer',
    'third question',
    'third',
  ])
  expect(chat.state()).toMatchObject({ isStreaming: true, canSend: false })
  fake.updateItem(userId, 'c', { content: 'third answer, still growing' })
  await expect.poll(() => chat.answer('c')?.content).toBe('third answer, still growing')
  fake.finish({ userId, traceId: 'c', message: '' }, 'third answer, done', 'openai', 5)
  await expect.poll(() => chat.answer('c')?.status).toBe('complete')
  expect(chat.answer('c')?.content).toBe('third answer, done')
  expect(chat.state().canSend).toBe(true)
  chat.controller.close()
})

test('a second tab of the same user and conversation (a duplicated tab) watches the answer in progress', async () => {
  const storage = memoryStorage()
  const first = startChat(fake, { storage })
  const second = startChat(fake, { storage }, {}, first.userId)
  await expect.poll(() => [first.state().transport, second.state().transport]).toEqual(['websocket', 'websocket'])
  const reply = words(20)
  fake.onPost = (context) => fake.streamAnswer(context, reply, { delayMs: 15 })
  await first.controller.send('Both tabs')
  const traceId = lastTrace(first)
  await expect.poll(() => second.answer(traceId)?.status).toBe('complete')
  expect(second.answer(traceId)?.content).toBe(reply.join(''))
  expect(second.texts(traceId).length).toBeGreaterThan(10)
  expect(second.state().messages.map((m) => m.content)).toEqual(['Both tabs', reply.join('')])
  first.controller.close()
  second.controller.close()
})

test('on a provided Stream (as from the React bindings): same behaviour, and close() leaves that Stream to its owner', async () => {
  const userId = `provided-${process.pid}`
  const stream = new Stream(`${fake.url.replace('http', 'ws')}/streams/${STREAM_NAME}/${groupIdFor(userId)}`)
  const chat = startChat(fake, {}, { stream }, userId)
  await expect.poll(() => chat.state().transport).toBe('websocket')
  fake.onPost = (context) => fake.streamAnswer(context, words(5))
  await chat.controller.send('Via the provider')
  await expect.poll(() => chat.state().messages.at(-1)?.content).toBe(words(5).join(''))
  chat.controller.close()
  expect(Object.hasOwn(stream, 'onSocketClose')).toBe(false)
  const before = fake.connections
  fake.dropSockets()
  // The Stream is the provider's again: its own reconnection (2 s) runs.
  await expect.poll(() => fake.connections, { timeout: 4000 }).toBe(before + 1)
  stream.close()
  fake.dropSockets()
})

test('an answer that stops making progress stays streaming until the stall bound passes without a word, then shows failed with Retry', async () => {
  const clock = manualClock()
  const chat = startChat(fake, {}, { schedule: clock.schedule })
  await expect.poll(() => chat.state().transport).toBe('websocket')
  const reply = words(5, 'stuck')
  fake.onPost = (context) => fake.streamAnswer(context, reply.slice(0, 2), { complete: false })
  await chat.controller.send('Will you finish?')
  await expect.poll(() => chat.answer(lastTrace(chat))?.content).toBe(reply.slice(0, 2).join(''))
  // Each change of the answer re-arms the bound: only the last timer is pending, and it asks for the whole bound.
  await expect.poll(() => clock.pending).toBe(1)
  expect(chat.answer(lastTrace(chat))?.status).toBe('streaming')
  expect(await clock.runNext()).toBe(CLIENT_ANSWER_STALL_SECONDS * 1000)
  await expect.poll(() => chat.answer(lastTrace(chat))?.status).toBe('error')
  expect(chat.state().error).toMatchObject({ code: 'interrupted', retryMessage: 'Will you finish?' })
  expect(chat.state().canSend).toBe(true)
  expect(clock.pending).toBe(0)
  chat.controller.close()
})

test('"New chat": the view empties at once, an answer still under way stays out of it, and a reload shows the new conversation', async () => {
  const storage = memoryStorage()
  const chat = startChat(fake, { storage })
  const pending: Parameters<typeof fake.onPost>[0][] = []
  fake.onPost = (context) => void pending.push(context)
  await expect.poll(() => chat.state().canSend).toBe(true)
  await chat.controller.send('first question')
  await expect.poll(() => pending.length).toBe(1)
  expect(chat.state().isStreaming).toBe(true)

  chat.controller.newChat()
  expect(chat.state()).toMatchObject({ messages: [], isStreaming: false, canSend: true, error: null })
  fake.finish(pending[0]!, 'the first answer, late', 'openai', 4)
  fake.onPost = (context) => fake.finish(context, 'the second answer', 'openai', 3)
  await chat.controller.send('second question')
  await expect.poll(() => chat.state().messages.map((m) => `${m.role}:${m.content}:${m.status}`)).toEqual([
    'user:second question:complete',
    'assistant:the second answer:complete',
  ])
  const [first, second] = fake.postedConversationIds.slice(-2)
  expect(first).toMatch(CONVERSATION_ID_PATTERN)
  expect(second).toMatch(CONVERSATION_ID_PATTERN)
  expect(second).not.toBe(first)
  chat.controller.close()

  const reloaded = startChat(fake, { storage }, {}, chat.userId)
  await expect.poll(() => reloaded.state().transport).toBe('websocket')
  await expect.poll(() => reloaded.state().messages.map((m) => m.content)).toEqual(['second question', 'the second answer'])
  await reloaded.controller.send('third question')
  expect(fake.postedConversationIds.at(-1)).toBe(second)
  reloaded.controller.close()
})
