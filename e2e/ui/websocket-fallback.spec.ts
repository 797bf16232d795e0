import { ANSWER_ID_PATTERN, CONVERSATION_ID_PATTERN } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { distinctTexts } from '../../fixtures/ui/samples-assertions'
import { chatEventOf, STREAM_SOCKET } from '../../fixtures/ui/socket-frames'
import { StreamSocketRoute } from '../../fixtures/ui/stream-socket-route'

test('a socket closed at connect: the answer completes by polling, revealed word by word between polls, not in the chunks they bring', async ({
  chat,
  fakeLlm,
  page,
  userId,
  witness,
}) => {
  await page.routeWebSocket(STREAM_SOCKET, (ws) => ws.close())
  const polls: Promise<string>[] = []
  page.on('response', (response) => {
    if (response.request().method() === 'GET' && response.url().includes('/api/chat/messages/') && response.ok()) {
      polls.push(response.json().then((item: { content: string }) => item.content))
    }
  })
  // 1.6 s of tokens: item writes (every 250 ms) and polls (every 250 ms) meet several times, on a busy machine too.
  const reply = numberedReply(40)
  await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 40 })
  await chat.open({ transport: 'polling' })

  const traceId = await chat.sendAndGetTraceId('Poll me')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  const published = await witness.finished(traceId)
  await expect(chat.content(answer)).toHaveText(published.event.type === 'complete' ? published.event.data.content : '')
  expect(chat.consoleLines.some((line) => /fall(ing)? back to polling/i.test(line))).toBe(true)

  const chunks = new Set((await Promise.all(polls)).filter((content) => content.length > 0))
  const shown = distinctTexts(await chat.samples(traceId)).filter((text) => text.length > 0)
  for (const text of shown) expect(reply.startsWith(text), `"${text}" is a prefix of the answer`).toBe(true)
  const between = shown.filter((text) => !chunks.has(text))
  expect(chunks.size, 'the answer came in several polls').toBeGreaterThanOrEqual(3)
  expect(between.length, `texts no poll brought (${chunks.size} polls brought text)`).toBeGreaterThanOrEqual(2 * chunks.size)
})

test('a silent socket (opened, never answered): the join times out and the answer is polled', async ({ chat, fakeLlm, page, userId }) => {
  // The page's clock runs on its own, but the spec moves it past the client's 3 s join timeout instead of waiting.
  await page.clock.install()
  let joinSent: () => void
  const joined = new Promise<void>((resolve) => (joinSent = resolve))
  // No connectToServer(): the page's socket is open, and whatever it sends vanishes; not even the join's sync returns.
  await page.routeWebSocket(STREAM_SOCKET, (ws) => ws.onMessage(() => joinSent()))
  const reply = numberedReply(10)
  await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open({ waitForTransport: false })
  await joined
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'connecting')
  await page.clock.fastForward(3_000)
  // The client's own join timeout (its timing is a unit spec's); here, that it is what moved the app to polling.
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'polling')
  expect(chat.consoleLines.some((line) => /No answer to the join of .* within 3000 ms/.test(line))).toBe(true)

  const traceId = await chat.sendAndGetTraceId('Anyone there?')
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(traceId))).toHaveText(reply)
})

test('a socket dropped mid-answer: the answer ends exactly right, and the next turn is live again', async ({ chat, fakeLlm, page, userId }) => {
  const DROP_AFTER = 6
  let connections = 0
  await page.routeWebSocket(STREAM_SOCKET, (ws) => {
    connections += 1
    const server = ws.connectToServer()
    const dropThisOne = connections === 1
    let tokens = 0
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      if (!dropThisOne) return ws.send(message)
      if (tokens >= DROP_AFTER) return
      ws.send(message)
      if (chatEventOf(message)?.type === 'token' && ++tokens === DROP_AFTER) ws.close({ code: 1006, reason: 'dropped by test' })
    })
  })
  const reply = numberedReply(18)
  await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 40 })
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Live again.' })
  await chat.open()

  const traceId = await chat.sendAndGetTraceId('Drop me halfway')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(reply)
  expect(chat.consoleLines).toContain(`[MotiaStream] Disconnected from chat-messages:user:${userId}`)
  for (const text of (await chat.samples(traceId)).map((s) => s.text)) expect(reply.startsWith(text)).toBe(true)

  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket', { timeout: 15_000 })
  const next = await chat.sendAndGetTraceId('And now?')
  await expect(chat.answer(next)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(next))).toHaveText('Live again.')
  expect((await chat.samples(next)).every((s) => s.transport === 'websocket')).toBe(true)
})

test('a lossy link (token frames dropped, doubled and swapped): the final text is exact', async ({ chat, fakeLlm, page, userId }) => {
  await page.routeWebSocket(STREAM_SOCKET, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => server.send(message))
    let held: string | Buffer | null = null
    server.onMessage((message) => {
      const event = chatEventOf(message)
      const seq = event?.type === 'token' ? event.data.seq : undefined
      if (seq === 3 || seq === 11) return // dropped
      if (seq === 5) ws.send(message) // doubled
      if (seq === 8) {
        held = message // swapped with the next one
        return
      }
      ws.send(message)
      if (seq === 9 && held) ws.send(held)
    })
  })
  const reply = numberedReply(16)
  await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Over a bad line')
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(traceId))).toHaveText(reply)
  for (const text of (await chat.samples(traceId)).map((s) => s.text)) expect(reply.startsWith(text)).toBe(true)
})

test('token frames repeated after their tokens were shown: the text stays exact', async ({ chat, fakeLlm, page, userId }) => {
  const socket = await StreamSocketRoute.install(page)
  const reply = numberedReply(12)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Say it once')
  const content = chat.content(chat.answer(traceId))
  await fakeLlm.release(userId, 5)
  await expect(content).toHaveText(firstTokens(reply, 5))

  // An earlier token and the last one shown come again, then the answer goes on.
  socket.repeat(socket.tokenFrames.get(2)!)
  socket.repeat(socket.tokenFrames.get(4)!)
  await fakeLlm.release(userId, 3)
  await expect(content).toContainText(' w08')
  // The eighth token is shown and the provider holds the rest: the text is settled, and exactly the first eight.
  await expect(content).toHaveText(firstTokens(reply, 8), { timeout: 1_000 })
  await fakeLlm.release(userId)
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(content).toHaveText(reply)
  for (const { text } of await chat.samples(traceId)) expect(reply.startsWith(text), `"${text}" is a prefix`).toBe(true)
})

test('the POST itself fails: a clear error banner, and retry works', async ({ chat, fakeLlm, page, userId }) => {
  await page.route(
    '**/api/chat/stream',
    (route) => route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'The chat service is unavailable.' } } }),
    { times: 1 },
  )
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Second time lucky.' })
  await chat.open()
  await chat.send('Try me')
  await expect(chat.errorBanner).toBeVisible()
  await expect(chat.errorBanner).toContainText('unavailable')

  await chat.retryButton.click()
  await expect(chat.answers.last()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answers.last())).toHaveText('Second time lucky.')
  await expect(chat.errorBanner).toBeHidden()
})

test("the request sends stream: true, the answer's and the conversation's ids and the session's bearer token, and no userId", async ({ chat, fakeLlm, page, session, userId }) => {
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Streamed.' })
  await chat.open()
  const request = page.waitForRequest((r) => r.url().endsWith('/api/chat/stream') && r.method() === 'POST')
  await chat.send('Stream it')
  const body = (await request).postDataJSON() as { answerId: string }
  expect(body).toEqual({
    message: 'Stream it',
    stream: true,
    answerId: expect.stringMatching(ANSWER_ID_PATTERN),
    conversationId: expect.stringMatching(CONVERSATION_ID_PATTERN),
  })
  expect(await (await request).headerValue('authorization')).toBe(`Bearer ${session.token}`)
  await expect(chat.answer(body.answerId)).toHaveAttribute('data-status', 'complete')
})
