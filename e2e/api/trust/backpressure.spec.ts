import { groupIdFor, MAX_MESSAGE_CHARS, STREAM_NAME } from '@chat/protocol'
import { HostileSocket } from '../../../fixtures/attack/hostile-socket'
import { holdsConnection, listeners, rssBytes } from '../../../fixtures/stack/processes'
import { backendInstanceUrls } from '../../../fixtures/stack/urls'
import { expect, test } from '../../../fixtures/test'

const MB = 1024 * 1024

test('a socket that never reads is closed, and the backend gives back the memory it held', async ({ backend, fakeLlm, session, userId }) => {
  test.slow()
  // At one instance's own port: through the balancer, the socket the test holds would be HAProxy's, not the backend's.
  const instanceUrl = backendInstanceUrls()[0]!
  const backendPort = Number(new URL(instanceUrl).port)
  const pid = listeners(backendPort).find((l) => l.pid !== null)?.pid
  expect(pid, 'the backend process').toBeTruthy()
  // A group of 8 long messages: every join's sync carries ~64 KB.
  const completed = async () => (await fakeLlm.requests(userId)).filter((r) => r.outcome === 'complete').length
  // One after another: a user has only so many answers in flight.
  for (let i = 0; i < 8; i++) {
    await fakeLlm.script({ userId, provider: 'openai', reply: `ok ${i}` })
    await backend.startAnswer(`${i}`.padEnd(MAX_MESSAGE_CHARS, 'x'))
    await expect.poll(completed).toBe(i + 1)
  }
  const before = rssBytes(pid!)

  const stalled = await HostileSocket.open({ token: session.token, baseUrl: instanceUrl })
  const tcp = (stalled.socket as unknown as { _socket: { pause(): void; localPort: number } })._socket
  expect(holdsConnection(backendPort, tcp.localPort)).toBe(true)
  // Reads nothing from now on, and asks for the whole group over and over: what the server sends piles up on its side.
  tcp.pause()
  for (let i = 0; i < 1000; i++) stalled.leave(STREAM_NAME, groupIdFor(userId), stalled.join(STREAM_NAME, groupIdFor(userId)))
  // 1000 syncs of ~64 KB would be ~64 MB held for this one socket: the server drops the connection long before.
  await expect.poll(() => holdsConnection(backendPort, tcp.localPort), { timeout: 30_000 }).toBe(false)
  stalled.close()
  await expect.poll(() => rssBytes(pid!), { timeout: 20_000 }).toBeLessThan(before + 20 * MB)
  expect((await backend.at(instanceUrl).health()).status()).toBe(200)
})
