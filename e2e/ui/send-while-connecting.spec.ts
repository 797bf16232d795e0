import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { STREAM_SOCKET } from '../../fixtures/ui/socket-frames'

test('Send pressed while the chat is still connecting: nothing is sent or lost, the typed text stays, and it goes once the chat is live', async ({
  chat,
  fakeLlm,
  page,
  userId,
}) => {
  // The server's frames are held until the spec lets them through: the chat stays connecting until then.
  let letThrough: () => void = () => undefined
  const through = new Promise<void>((resolve) => (letThrough = resolve))
  await page.routeWebSocket(STREAM_SOCKET, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => void through.then(() => ws.send(message)))
  })
  const reply = numberedReply(8)
  await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open({ waitForTransport: false })
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'connecting')

  await chat.input.fill('Sent too early?')
  await expect(chat.sendButton).toBeDisabled()
  await chat.input.press('Enter')
  await chat.sendButton.click({ force: true })
  await expect(chat.messages).toHaveCount(0)
  await expect(chat.input).toHaveValue('Sent too early?')
  expect(await fakeLlm.requests(userId)).toHaveLength(0)

  letThrough()
  await chat.expectConnection('websocket')
  await expect(chat.sendButton).toBeEnabled()
  await chat.sendButton.click()
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.lastAnswer())).toHaveText(reply)
  await expect(chat.messages).toHaveCount(2)
})
