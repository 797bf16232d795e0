import { currentConversation, errorNoticeText } from '@chat/client'
import { REVEAL_STEP_MS } from '../../packages/chat-client/src/text-reveal'
import { ANSWER_ID_PATTERN, ChatMessage, CLIENT_ANSWER_STALL_SECONDS, CONVERSATION_ID_PATTERN, groupIdFor, STREAM_NAME } from '@chat/protocol'
import { Stream } from '@motiadev/stream-client-browser'
import { expect, test } from '@playwright/test'
import { socketOf, takeOverSocketLifecycle } from '../../packages/chat-client/src/motia-internals'
import { eventually, fakeSession, memoryStorage, startChat, words } from './support/controller-harness'
import { FakeMotia, installWebSocket, type PostContext } from './support/fake-motia'

// The controller against Motia 0.17's real socket server and its real browser client (on `ws` for Node), its timers
// on a manual clock (see startChat). Each worker has its own fake backend; each test its own user.
let fake: FakeMotia
test.beforeAll(async () => {
  installWebSocket()
  fake = await FakeMotia.start()
})
test.afterAll(async () => fake.close())
test.beforeEach(() => fake.reset())

/** The client's defaults, which these tests keep: the join's timeout, the first reconnection, the poll interval, the watchdog's silence and confirmation. */
const CONNECT_TIMEOUT_MS = 3000
const FIRST_RECONNECT_MS = 1000
const POLL_MS = 250
const SILENCE_MS = 3000
const STALE_CONFIRM_MS = 1000

const connected = (userId: string) => `[MotiaStream] Connected to ${STREAM_NAME}:${groupIdFor(userId)}`
const disconnected = (userId: string) => `[MotiaStream] Disconnected from ${STREAM_NAME}:${groupIdFor(userId)}`
const lastTrace = (chat: ReturnType<typeof startChat>) => chat.state().messages.filter((m) => m.role === 'assistant').at(-1)?.id ?? ''

/** A chat live on its socket and an answer under way: the first `shown` tokens of `reply` streamed and shown, the rest not yet. */
const answerUnderWay = async (reply: string[], shown: number, message: string, pollIntervalMs = POLL_MS) => {
  const chat = startChat(fake, { pollIntervalMs })
  await eventually(() => chat.state().transport).toBe('websocket')
  let answer!: PostContext
  fake.onPost = (context) => {
    answer = context
    fake.streamAnswer(context, reply.slice(0, shown), { complete: false })
  }
  await chat.controller.send(message)
  await fake.settled()
  const traceId = lastTrace(chat)
  await eventually(() => chat.answer(traceId)?.content).toBe(reply.slice(0, shown).join(''))
  return { chat, answer, traceId }
}

test('the patched Motia 0.17 registers a join before reading its sync: what is published during the read follows the sync', async () => {
  const userId = 'join-window-user'
  const received: string[] = []
  const joins = fake.holdJoins()
  const stream = new Stream(`${fake.url.replace('http', 'ws')}/streams/${STREAM_NAME}/${groupIdFor(userId)}`)
  const group = stream.subscribeGroup<ChatMessage>(STREAM_NAME, groupIdFor(userId))
  group.addChangeListener(() => received.push('sync'))
  group.onEvent('error', (data: { traceId: string }) => received.push(data.traceId))
  await eventually(() => joins.waiting).toBe(1)
  fake.publish(userId, { type: 'error', data: { traceId: 'during', code: 'x', message: 'published while the join read its sync' } })
  joins.release()
  await eventually(() => received).toEqual(['sync', 'during'])
  fake.publish(userId, { type: 'error', data: { traceId: 'after', code: 'x', message: 'published after the sync' } })
  await eventually(() => received).toEqual(['sync', 'during', 'after'])
  group.close()
  stream.close()
})

test('connected (websocket, canSend) only once the join was answered by its sync; the exact console line', async () => {
  const joins = fake.holdJoins()
  const chat = startChat(fake)
  await eventually(() => joins.waiting).toBe(1)
  expect(chat.state()).toMatchObject({ transport: 'connecting', canSend: false })
  joins.release()
  await eventually(() => chat.state().transport).toBe('websocket')
  expect(chat.state().canSend).toBe(true)
  expect(chat.lines).toEqual([connected(chat.userId)])
  chat.controller.close()
})

test('a streamed answer: tokens shown in seq order as they come, the final text from complete, canSend off meanwhile', async () => {
  const chat = startChat(fake)
  await eventually(() => chat.state().transport).toBe('websocket')
  const reply = words(12)
  let streaming: boolean | null = null
  fake.onPost = async (context) => {
    fake.streamAnswer(context, reply, { complete: false })
    await eventually(() => chat.answer(context.traceId)?.content).toBe(reply.join(''))
    streaming = chat.state().isStreaming && !chat.state().canSend
    fake.finish(context, reply.join(''), 'openai', reply.length)
  }
  const getsBefore = fake.gets
  await chat.controller.send('  Hello there  ')
  const traceId = lastTrace(chat)
  await eventually(() => chat.answer(traceId)?.status).toBe('complete')
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
  await eventually(() => chat.state().transport).toBe('websocket')
  const reply = words(6, 'early')
  const early = reply.slice(0, 3).join('')
  let shownBefore202: string | undefined
  fake.beforeAccept = async (context) => {
    fake.streamAnswer(context, reply.slice(0, 3), { complete: false })
    // The 202 is held back until the tokens are painted (or the wait gave up: the assertion below then fails).
    await eventually(() => chat.answer(context.traceId)?.content).toBe(early).catch(() => undefined)
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
  await eventually(() => chat.answer(lastTrace(chat))?.status).toBe('complete')
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
    // The next attempt at a socket is far off: this test is about polling.
    const chat = startChat(fake, { pollIntervalMs: POLL_MS }, { reconnectDelaysMs: [60_000] })
    await eventually(() => chat.state().transport).toBe('polling')
    expect(chat.state().canSend).toBe(true)
    expect(chat.lines.some((line) => /falling back to polling/.test(line))).toBe(true)
    expect(chat.lines).not.toContain(disconnected(chat.userId))
    const reply = words(40)
    const upTo = (count: number) => reply.slice(0, count).join('')
    let answer!: PostContext
    // The backend's item grows between polls: 10 words by the 202, 25 by the next poll, then complete.
    fake.beforeAccept = (context) => fake.updateItem(context.userId, context.traceId, { status: 'streaming', provider: 'openai', content: upTo(10) })
    fake.onPost = (context) => void (answer = context)
    const getsBefore = fake.gets
    await chat.controller.send('Poll me')
    const traceId = lastTrace(chat)
    // Polled at once; the next poll is asked for after the base interval.
    await eventually(() => chat.clock.waiting()).toContain(POLL_MS)
    expect(fake.gets - getsBefore).toBe(1)
    await fake.settled()
    fake.updateItem(answer.userId, traceId, { content: upTo(25) })
    chat.clock.advance(POLL_MS)
    await eventually(() => fake.gets - getsBefore).toBe(2)
    await eventually(() => chat.clock.waiting()).toContain(POLL_MS)
    fake.finish(answer, reply.join(''), 'openai', reply.length)
    chat.clock.advance(POLL_MS)
    await eventually(() => chat.revealed(traceId)?.status).toBe('complete')
    expect(fake.gets - getsBefore).toBe(3)
    expect(chat.answer(traceId)?.content).toBe(reply.join(''))
    const texts = chat.texts(traceId)
    for (const text of texts) expect(reply.join('').startsWith(text)).toBe(true)
    // Word by word: many more distinct texts than polls that saw a change.
    expect(texts.length).toBeGreaterThan(12)
    // Polls stop at complete: nothing but the far-off socket attempt is waiting.
    expect(chat.clock.waiting()).toEqual([60_000])
    chat.controller.close()
  } finally {
    installWebSocket()
  }
})

test('a join never answered: after connectTimeoutMs the chat polls and may send; the socket keeps being retried', async () => {
  fake.silentJoins = true
  const chat = startChat(fake, { connectTimeoutMs: CONNECT_TIMEOUT_MS })
  await eventually(() => fake.connectionsTo(chat.userId)).toBe(1)
  expect(chat.state()).toMatchObject({ transport: 'connecting', canSend: false })
  expect(chat.clock.waiting()).toEqual([CONNECT_TIMEOUT_MS])
  chat.clock.advance(CONNECT_TIMEOUT_MS)
  expect(chat.state()).toMatchObject({ transport: 'polling', canSend: true })
  // Retried while polling: a second socket (its join unanswered too) before the joins are answered again.
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => fake.connectionsTo(chat.userId)).toBe(2)
  expect(chat.state().transport).toBe('polling')
  fake.silentJoins = false
  // The second join times out too; the next socket (after the second, longer wait) is answered.
  chat.clock.advance(CONNECT_TIMEOUT_MS + 2 * FIRST_RECONNECT_MS)
  await eventually(() => chat.state().transport).toBe('websocket')
  expect(fake.connectionsTo(chat.userId)).toBe(3)
  expect(chat.lines.filter((line) => /falling back to polling/.test(line))).toHaveLength(1)
  expect(chat.lines.some((line) => /WebSocket is back/.test(line))).toBe(true)
  expect(chat.lines.at(-2)).toBe(connected(chat.userId))
  chat.controller.close()
})

test('a socket dropped mid-answer: polled meanwhile, the socket takes over again, no word lost or doubled', async () => {
  const reply = words(60)
  const upTo = (count: number) => reply.slice(0, count).join('')
  const { chat, answer, traceId } = await answerUnderWay(reply, 20, 'Drop me')
  const getsBefore = fake.gets
  fake.dropSockets(chat.userId)
  await eventually(() => chat.state().transport).toBe('polling')
  // Polled at once while the socket is down; the backend goes on meanwhile, and the next poll brings it.
  await eventually(() => chat.clock.waiting()).toContain(POLL_MS)
  fake.streamAnswer(answer, reply.slice(0, 40), { from: 20, complete: false })
  chat.clock.advance(POLL_MS)
  // That poll saw the text grow, so the next one is asked for after the base interval again.
  await eventually(() => chat.clock.waiting()).toContain(POLL_MS)
  expect(fake.gets - getsBefore).toBe(2)
  // The socket takes over again (the poll due before it runs too, and the reveal catches up); the rest streams live.
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => chat.state().transport).toBe('websocket')
  expect(chat.answer(traceId)?.content).toBe(upTo(40))
  fake.streamAnswer(answer, reply, { from: 40 })
  await eventually(() => chat.revealed(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  for (const text of chat.texts(traceId)) expect(reply.join('').startsWith(text)).toBe(true)
  expect(chat.lines).toContain(disconnected(chat.userId))
  expect(chat.lines.filter((line) => line === connected(chat.userId))).toHaveLength(2)
  // No poll once the socket took over, and none can come: nothing of the chat is waiting.
  expect(fake.gets - getsBefore).toBe(3)
  expect(chat.clock.pending).toBe(0)
  chat.controller.close()
})

test('after a reconnect the sync\'s jump is revealed at its pace, but the next token streamed live shows at once, with all before it', async () => {
  const reply = words(60)
  const upTo = (count: number) => reply.slice(0, count).join('')
  // Polls far apart: while the socket is down nothing is read, so the sync is what brings the answer up to date.
  const { chat, answer, traceId } = await answerUnderWay(reply, 20, 'Drop me', 60_000)
  fake.dropSockets(chat.userId)
  await eventually(() => chat.state().transport).toBe('polling')
  fake.streamAnswer(answer, reply.slice(0, 40), { from: 20, complete: false })
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => chat.state().transport).toBe('websocket')
  // The sync brought 20 more words: a reveal step is due, and the view still shows what it showed.
  await eventually(() => chat.clock.waiting()).toContain(REVEAL_STEP_MS)
  expect(chat.answer(traceId)?.content).toBe(upTo(20))
  // The clock stands still from here: no step of the reveal runs, and no item is written. The live token alone
  // must bring the text: it goes on from the tokens the synced item holds.
  fake.streamAnswer(answer, reply.slice(0, 41), { from: 40, complete: false })
  await eventually(() => chat.answer(traceId)?.content).toBe(upTo(41))
  fake.streamAnswer(answer, reply, { from: 41 })
  await eventually(() => chat.revealed(traceId)?.status).toBe('complete')
  expect(chat.revealed(traceId)?.content).toBe(reply.join(''))
  for (const text of chat.texts(traceId)) expect(reply.join('').startsWith(text)).toBe(true)
  chat.controller.close()
})

test('the complete published while a reconnection\'s join reads its sync follows the sync: the answer finishes with no watchdog or poll', async () => {
  const reply = words(8)
  // Polls far apart, and the clock never reaches the watchdog's silence: only the socket can bring the ending.
  const { chat, answer, traceId } = await answerUnderWay(reply, reply.length, 'Keep my ending', 60_000)
  fake.dropSockets(chat.userId)
  await eventually(() => chat.state().transport).toBe('polling')
  // The new socket's join reads its sync while the answer ends.
  const joins = fake.holdJoins()
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => joins.waiting).toBe(1)
  fake.finish(answer, reply.join(''), 'openai', reply.length)
  joins.release()
  await eventually(() => chat.state().transport).toBe('websocket')
  await eventually(() => chat.answer(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  chat.controller.close()
})

test('an open socket that stopped delivering: spotted by the watchdog, the answer polled, the socket renewed', async () => {
  const reply = words(40)
  const { chat, answer, traceId } = await answerUnderWay(reply, 10, 'Go quiet')
  // The socket stays open but delivers nothing more, while the backend writes on.
  fake.muteSockets()
  fake.updateItem(answer.userId, traceId, { content: reply.slice(0, 20).join('') })
  const getsBefore = fake.gets
  chat.clock.advance(SILENCE_MS)
  // The item changed and the socket said nothing: the watchdog gives the frame a moment, then gives up on the socket.
  await eventually(() => chat.clock.waiting()).toContain(STALE_CONFIRM_MS)
  expect(fake.gets - getsBefore).toBe(1)
  expect(chat.state().transport).toBe('websocket')
  chat.clock.advance(STALE_CONFIRM_MS)
  expect(chat.lines.some((line) => /stopped delivering/.test(line))).toBe(true)
  expect(chat.state().transport).toBe('polling')
  fake.finish(answer, reply.join(''), 'openai', reply.length)
  // Polled meanwhile; then a new socket, whose sync brings the finished item.
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => chat.state().transport).toBe('websocket')
  await eventually(() => chat.revealed(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  chat.controller.close()
})

test('close() really stops: no reconnection after a drop, unlike the official Stream', async () => {
  const chat = startChat(fake)
  await eventually(() => chat.state().transport).toBe('websocket')
  fake.dropSockets(chat.userId)
  await eventually(() => chat.state().transport).toBe('polling')
  const states = chat.states.length
  chat.controller.close()
  // Nothing of the chat waits any more: no reconnection, no poll.
  expect(chat.clock.pending).toBe(0)

  // The official client, closed the same way, opens a new socket 2 s after the drop (its own timer, on real time).
  // It is dropped after ours: a reconnection of ours through the same timer would have come first.
  const officialPath = `official-${process.pid}-${test.info().workerIndex}`
  const official = new Stream(`${fake.url.replace('http', 'ws')}/streams/${officialPath}`)
  official.subscribeGroup(STREAM_NAME, `user:${officialPath}`)
  await eventually(() => fake.connectionsTo(officialPath)).toBe(1)
  const officialSawClose = new Promise<void>((done) => socketOf(official).onClose(() => done()))
  fake.dropSockets(officialPath)
  await officialSawClose
  official.close()
  await eventually(() => fake.connectionsTo(officialPath), { timeout: 5000 }).toBe(2)
  expect(fake.connectionsTo(chat.userId)).toBe(1)
  expect(chat.states.length).toBe(states)
  takeOverSocketLifecycle(official, { opened: () => undefined, closed: () => undefined })
  fake.dropSockets(officialPath)
})

test('a failed POST: our words for its code (never the server\'s), the user message marked, retry resends and replaces it', async () => {
  const chat = startChat(fake)
  await eventually(() => chat.state().transport).toBe('websocket')
  fake.failNextPost = { status: 503, body: { error: { code: 'unavailable', message: 'The chat service is unavailable.' } } }
  await chat.controller.send('Try me')
  expect(chat.state().error).toEqual({ code: 'unavailable', message: errorNoticeText('unavailable'), retryMessage: 'Try me', canRetry: true })
  expect(chat.state().messages).toMatchObject([{ role: 'user', content: 'Try me', status: 'error', error: { code: 'unavailable' } }])
  expect(chat.state().canSend).toBe(true)
  fake.onPost = (context) => fake.streamAnswer(context, words(3, 'ok'))
  await chat.controller.retry()
  await eventually(() => chat.state().messages.at(-1)?.status).toBe('complete')
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
  await eventually(() => chat.state().transport).toBe('polling')
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
  await eventually(() => chat.state().messages.map((m) => (m.id === 'c' ? chat.revealed('c')?.content : m.content))).toEqual([
    'first question',
    'first answer',
    'second question',
    'second answer',
    'third question',
    'third',
  ])
  expect(chat.state()).toMatchObject({ isStreaming: true, canSend: false })
  fake.updateItem(userId, 'c', { content: 'third answer, still growing' })
  await eventually(() => chat.revealed('c')?.content).toBe('third answer, still growing')
  fake.finish({ userId, traceId: 'c', message: '' }, 'third answer, done', 'openai', 5)
  await eventually(() => chat.revealed('c')?.status).toBe('complete')
  expect(chat.answer('c')?.content).toBe('third answer, done')
  expect(chat.state().canSend).toBe(true)
  chat.controller.close()
})

test('a second tab of the same user and conversation (a duplicated tab) watches the answer in progress', async () => {
  const storage = memoryStorage()
  const first = startChat(fake, { storage })
  const second = startChat(fake, { storage }, {}, first.userId)
  await eventually(() => [first.state().transport, second.state().transport]).toEqual(['websocket', 'websocket'])
  const reply = words(20)
  fake.onPost = (context) => fake.streamAnswer(context, reply)
  await first.controller.send('Both tabs')
  const traceId = lastTrace(first)
  await eventually(() => second.answer(traceId)?.status).toBe('complete')
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
  await eventually(() => chat.state().transport).toBe('websocket')
  fake.onPost = (context) => fake.streamAnswer(context, words(5))
  await chat.controller.send('Via the provider')
  await eventually(() => chat.state().messages.at(-1)?.content).toBe(words(5).join(''))
  chat.controller.close()
  expect(chat.clock.pending).toBe(0)
  const before = fake.connectionsTo(userId)
  fake.dropSockets(userId)
  // The Stream is the provider's again: its own reconnection (2 s, on real time) runs.
  await eventually(() => fake.connectionsTo(userId), { timeout: 5000 }).toBe(before + 1)
  stream.close()
  fake.dropSockets(userId)
})

test('an answer streaming 100 tokens 25 ms apart: its timers are pushed back, not re-armed per token, and the watchdog reads the item 3 s after the last one', async () => {
  const reply = words(101)
  const { chat, answer, traceId } = await answerUnderWay(reply, 1, 'Stream on')
  const askedBefore = chat.clock.asked
  const getsBefore = fake.gets
  for (let shown = 1; shown < reply.length; shown++) {
    chat.clock.advance(25)
    fake.streamAnswer(answer, reply.slice(0, shown + 1), { from: shown, complete: false })
    await eventually(() => chat.answer(traceId)?.content).toBe(reply.slice(0, shown + 1).join(''))
  }
  // The watchdog's silence check and the stall bound: each fired and waited out the rest once per bound at most.
  expect(chat.clock.asked - askedBefore, 'timers asked for while 100 tokens streamed over 2.5 s').toBeLessThanOrEqual(2)
  expect(chat.clock.waiting(), 'the silence check and the stall bound, still pending').toHaveLength(2)
  chat.clock.advance(SILENCE_MS - 1)
  expect(fake.gets, 'no read while the last token is under 3 s old').toBe(getsBefore)
  chat.clock.advance(1)
  await eventually(() => fake.gets).toBe(getsBefore + 1)
  chat.controller.close()
})

test(`an answer streaming for 40 s, a token a second, is never taken for stalled (each token restarts the ${CLIENT_ANSWER_STALL_SECONDS} s bound) and completes`, async () => {
  const chat = startChat(fake)
  await eventually(() => chat.state().transport).toBe('websocket')
  let context: PostContext | undefined
  fake.onPost = (posted) => {
    context = posted
    fake.updateItem(posted.userId, posted.traceId, { status: 'streaming', provider: 'openai', content: '', tokens: 0 })
  }
  await chat.controller.send('Talk for a while')
  await eventually(() => context !== undefined).toBe(true)
  const { traceId, userId } = context!
  const tokens = words(40, 'long')
  let content = ''
  for (const [seq, token] of tokens.entries()) {
    fake.publish(userId, { type: 'token', data: { traceId, seq, token, provider: 'openai' } })
    content += token
    await eventually(() => chat.answer(traceId)?.content).toBe(content)
    chat.clock.advance(1_000)
    expect(chat.answer(traceId)?.status, `${seq + 1} s in`).toBe('streaming')
  }
  expect(chat.state().error).toBeNull()
  fake.finish(context!, content, 'openai', tokens.length)
  await eventually(() => chat.answer(traceId)?.status).toBe('complete')
  expect(chat.answer(traceId)?.content).toBe(content)
  chat.controller.close()
})

test('an answer that stops making progress stays streaming until the stall bound passes without a word, then shows failed with Retry', async () => {
  const chat = startChat(fake)
  await eventually(() => chat.state().transport).toBe('websocket')
  const reply = words(5, 'stuck')
  fake.onPost = (context) => fake.streamAnswer(context, reply.slice(0, 2), { complete: false })
  await chat.controller.send('Will you finish?')
  await eventually(() => chat.answer(lastTrace(chat))?.content).toBe(reply.slice(0, 2).join(''))
  // Each change of the answer re-arms the bound: one stall timer is pending (beside the watchdog's), asking for the whole bound.
  const bound = CLIENT_ANSWER_STALL_SECONDS * 1000
  expect(chat.clock.waiting()).toEqual([SILENCE_MS, bound])
  chat.clock.advance(bound - 1)
  expect(chat.answer(lastTrace(chat))?.status).toBe('streaming')
  chat.clock.advance(1)
  expect(chat.answer(lastTrace(chat))?.status).toBe('error')
  expect(chat.state().error).toMatchObject({ code: 'interrupted', retryMessage: 'Will you finish?' })
  expect(chat.state().canSend).toBe(true)
  chat.controller.close()
  expect(chat.clock.pending).toBe(0)
})

test('"New chat": the view empties at once, an answer still under way stays out of it, and a reload shows the new conversation', async () => {
  const storage = memoryStorage()
  const chat = startChat(fake, { storage })
  const pending: PostContext[] = []
  fake.onPost = (context) => void pending.push(context)
  await eventually(() => chat.state().canSend).toBe(true)
  await chat.controller.send('first question')
  await eventually(() => pending.length).toBe(1)
  expect(chat.state().isStreaming).toBe(true)

  chat.controller.newChat()
  expect(chat.state()).toMatchObject({ messages: [], isStreaming: false, canSend: true, error: null })
  fake.finish(pending[0]!, 'the first answer, late', 'openai', 4)
  fake.onPost = (context) => fake.finish(context, 'the second answer', 'openai', 3)
  await chat.controller.send('second question')
  await eventually(() => chat.state().messages.map((m) => `${m.role}:${m.content}:${m.status}`)).toEqual([
    'user:second question:complete',
    'assistant:the second answer:complete',
  ])
  const [first, second] = fake.postedConversationIds.slice(-2)
  expect(first).toMatch(CONVERSATION_ID_PATTERN)
  expect(second).toMatch(CONVERSATION_ID_PATTERN)
  expect(second).not.toBe(first)
  chat.controller.close()

  const reloaded = startChat(fake, { storage }, {}, chat.userId)
  await eventually(() => reloaded.state().transport).toBe('websocket')
  await eventually(() => reloaded.state().messages.map((m) => m.content)).toEqual(['second question', 'the second answer'])
  await reloaded.controller.send('third question')
  expect(fake.postedConversationIds.at(-1)).toBe(second)
  reloaded.controller.close()
})

test('a renewed session: the socket reopens offering the new token, the sync brings what streamed meanwhile, and every request carries it', async () => {
  const reply = words(10)
  const { chat, answer, traceId } = await answerUnderWay(reply, 4, 'across a renewal')
  const renewed = { ...fakeSession(chat.userId), token: `fake.${chat.userId}~renewed` }
  const sockets = fake.connectionsTo(chat.userId)

  chat.controller.renewSession({ ...fakeSession('someone-else'), token: 'fake.someone-else~renewed' })
  chat.controller.renewSession(fakeSession(chat.userId))
  expect(fake.connectionsTo(chat.userId), "another user's session, or the same token, changes nothing").toBe(sockets)

  chat.controller.renewSession(renewed)
  expect(chat.lines).toContain(disconnected(chat.userId))
  // Streamed while the socket was down: shown from the sync once the new socket joined.
  fake.streamAnswer(answer, reply.slice(0, 7), { complete: false, from: 4, itemEvery: 1 })
  chat.clock.advance(FIRST_RECONNECT_MS)
  await eventually(() => chat.state().transport).toBe('websocket')
  expect(fake.offeredProtocols.at(-1)).toContain(`bearer.${renewed.token}`)
  fake.streamAnswer(answer, reply, { from: 7 })
  await eventually(() => chat.revealed(traceId)?.content).toBe(reply.join(''))
  expect(chat.answer(traceId)?.status).toBe('complete')

  await chat.controller.send('after the renewal')
  expect(fake.postedTokens.at(-1)).toBe(renewed.token)
  chat.controller.close()
})
