import { groupIdFor, SESSION_EXPIRED_CLOSE_CODE, STREAM_NAME } from '@chat/protocol'
import { issueSession, sessionKeys } from '../../../apps/backend/lib/auth/session-token'
import { HostileSocket } from '../../../fixtures/attack/hostile-socket'
import { numberedReply } from '../../../fixtures/replies'
import { expect, test } from '../../../fixtures/test'
import { readStackSecrets } from '../../../scripts/stack-secrets'

test("a socket opened with a session about to expire is closed at its expiry, and gets nothing of the user's next answer", async ({
  backend,
  fakeLlm,
  userId,
  witness,
}) => {
  // The same user's session, signed with the stack's key, valid for 2-3 s (tokens count whole seconds).
  const short = await issueSession(sessionKeys(readStackSecrets().SESSION_SECRET, 3), userId)
  const socket = await HostileSocket.open({ token: short.token })
  const closed = socket.closed.then((code) => ({ code, at: Date.now() }))
  socket.join(STREAM_NAME, groupIdFor(userId))
  await expect.poll(() => socket.dataFrames().some((frame) => frame.event.type === 'sync')).toBe(true)

  const { code, at } = await closed
  expect(code, 'closed as expired').toBe(SESSION_EXPIRED_CLOSE_CODE)
  const expiresAt = Date.parse(short.expiresAt)
  expect(at, 'not before its session expired').toBeGreaterThanOrEqual(expiresAt - 20)
  expect(at, 'at its expiry').toBeLessThan(expiresAt + 1_000)

  // The user's next answer reaches their live session's socket, and nothing of it the expired one.
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(5) })
  const { traceId } = await backend.startAnswer('after the short session expired')
  expect((await witness.finished(traceId)).event.type).toBe('complete')
  expect(JSON.stringify(socket.frames)).not.toContain(traceId)
})
