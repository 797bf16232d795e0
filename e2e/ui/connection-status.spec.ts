import { TEST_IDS, TRANSPORT_LABELS } from '@chat/client'
import type { WebSocketRoute } from '@playwright/test'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { recordConnectionStatus, statusWords } from '../../fixtures/ui/connection-status'
import { readRecords } from '../../fixtures/ui/in-page-records'
import { STREAM_SOCKET } from '../../fixtures/ui/socket-frames'

test('the connection status a user reads follows the connection: connecting, live, polling, offline, polling again', async ({
  chat,
  fakeLlm,
  page,
  userId,
}) => {
  // The sockets' frames from the server are held until the spec lets them through; once refusing, sockets are closed.
  let current: WebSocketRoute | null = null
  let refusing = false
  let letThrough: () => void = () => undefined
  const through = new Promise<void>((resolve) => (letThrough = resolve))
  await page.routeWebSocket(STREAM_SOCKET, (ws) => {
    if (refusing) return ws.close({ code: 1006, reason: 'refused by test' })
    current = ws
    const server = ws.connectToServer()
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => void through.then(() => ws.send(message)))
  })
  await page.addInitScript(recordConnectionStatus, TEST_IDS)
  const reply = numberedReply(8)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })

  // Connecting: the join is not answered yet. The app gives up on it after 3 s, so what the status said in that
  // time is read from the page's own record.
  await chat.open({ waitForTransport: false })
  await expect.poll(() => readRecords(page, 'statusSamples')).toContainEqual({ transport: 'connecting', text: expect.any(String) })
  const connecting = (await readRecords(page, 'statusSamples')).filter((s) => s.transport === 'connecting')
  expect(connecting.map((s) => statusWords(s.text))).toEqual(connecting.map(() => statusWords(TRANSPORT_LABELS.connecting)))
  letThrough()
  await chat.expectConnection('websocket')

  refusing = true
  current!.close({ code: 1006, reason: 'dropped by test' })
  await chat.expectConnection('polling')

  await page.route('**/api/chat/messages/**', (route) => route.abort('connectionfailed'))
  const traceId = await chat.sendAndGetTraceId('Are you there?')
  await chat.expectConnection('offline')

  await page.unroute('**/api/chat/messages/**')
  await chat.expectConnection('polling')
  await fakeLlm.release(userId)
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(traceId))).toHaveText(reply)
  await chat.expectConnection('polling')
})
