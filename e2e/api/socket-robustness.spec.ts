import { socketProtocols } from '@chat/protocol'
import WebSocket from 'ws'
import { expect, test } from '../../fixtures/test'
import { backendWsUrl } from '../../fixtures/stack/urls'

const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))

test('malformed, oversized and unknown frames neither crash the backend nor stop it streaming', async ({
  backend,
  fakeLlm,
  witness,
  session,
  userId,
}) => {
  const rude = new WebSocket(backendWsUrl(userId), socketProtocols(session.token))
  await new Promise((resolve, reject) => rude.once('open', resolve).once('error', reject))
  const rudeClosed = closed(rude)
  for (const frame of ['not json', 'null', '42', '{}', '{"type":"join"}', '{"type":"bogus","data":{}}', '{"type":"leave","data":{}}']) {
    rude.send(frame)
  }
  rude.send('x'.repeat(200 * 1024))
  // The server closes a connection that sends a frame over its 64 KiB limit (1009: message too big).
  expect(await rudeClosed).toBe(1009)

  expect((await backend.health()).status()).toBe(200)
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Still standing.' })
  const { traceId } = await backend.startAnswer('still there?')
  const done = await witness.finished(traceId)
  expect(done.event).toMatchObject({ type: 'complete', data: { content: 'Still standing.' } })
})
