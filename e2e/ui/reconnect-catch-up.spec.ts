import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { StreamSocketRoute } from '../../fixtures/ui/stream-socket-route'
import type { ChatPage } from '../../fixtures/ui/chat-page'
import type { BackendApi } from '../../fixtures/backend/backend-api'

/** The join's sync brings the answer up to date in about 100 ms; the watchdog would only read the item after 3 s. */
const CATCH_UP_MS = 1_500

const storedItem = async (backend: BackendApi, traceId: string) => (await (await backend.message(traceId)).json()) as { content: string; status: string }

/**
 * Opens the app, sends, shows the first `shown` tokens, then takes the page offline: its socket drops, every poll
 * fails, and its next socket waits (connecting) until the test lets it through.
 */
const answerThenGoOffline = async (chat: ChatPage, socket: StreamSocketRoute, release: (count: number) => Promise<unknown>, reply: string, shown: number) => {
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Keep going while I am away')
  await release(shown)
  await expect(chat.content(chat.answer(traceId))).toHaveText(firstTokens(reply, shown))

  await chat.page.route('**/api/chat/messages/**', (route) => route.abort('connectionfailed'))
  socket.holdConnections()
  const reconnecting = socket.nextConnection()
  await socket.drop()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'offline')
  return { traceId, reconnecting }
}

test('a reconnect while the answer is in progress: the join\'s sync shows at once what it reached while the socket was down', async ({
  backend,
  chat,
  fakeLlm,
  page,
  userId,
}) => {
  const socket = await StreamSocketRoute.install(page)
  const reply = numberedReply(14)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  const { traceId, reconnecting } = await answerThenGoOffline(chat, socket, (count) => fakeLlm.release(userId, count), reply, 3)
  const answer = chat.answer(traceId)

  await fakeLlm.release(userId, 6)
  await expect.poll(async () => (await storedItem(backend, traceId)).content, { intervals: [50] }).toBe(firstTokens(reply, 9))
  await reconnecting
  await expect(chat.content(answer), 'nothing reached the page while it was offline').toHaveText(firstTokens(reply, 3))

  socket.letThrough()
  // Nothing else moves now (the provider holds its tokens): only the sync can bring the 6 tokens.
  await expect(chat.content(answer)).toHaveText(firstTokens(reply, 9), { timeout: CATCH_UP_MS })
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(answer).toHaveAttribute('data-status', 'streaming')

  await fakeLlm.release(userId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(reply)
  for (const { text } of await chat.samples(traceId)) expect(reply.startsWith(text), `"${text}" is a prefix`).toBe(true)
})

test('a reconnect after the answer finished unseen: the join\'s sync completes it at once', async ({ backend, chat, fakeLlm, page, userId }) => {
  const socket = await StreamSocketRoute.install(page)
  const reply = numberedReply(14)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  const { traceId, reconnecting } = await answerThenGoOffline(chat, socket, (count) => fakeLlm.release(userId, count), reply, 3)
  const answer = chat.answer(traceId)

  await fakeLlm.release(userId)
  await expect.poll(async () => (await storedItem(backend, traceId)).status, { intervals: [50] }).toBe('complete')
  await reconnecting
  await expect(answer, 'nothing reached the page while it was offline').toHaveAttribute('data-status', 'streaming')

  socket.letThrough()
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: CATCH_UP_MS })
  await expect(chat.content(answer)).toHaveText(reply, { timeout: CATCH_UP_MS })
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  for (const { text } of await chat.samples(traceId)) expect(reply.startsWith(text), `"${text}" is a prefix`).toBe(true)
})
