import { API_ROUTES, chatMessagePath, groupIdFor, STREAM_NAME } from '@chat/protocol'
import { SESSION_STORAGE_KEY } from '@chat/client'
import { startEvilSite } from '../../fixtures/attack/evil-site'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { BACKEND_URL, FAKE_LLM_URL } from '../../fixtures/stack/urls'
import { newWindow } from '../../fixtures/ui/new-window'
import { expect, test } from '../../fixtures/test'

test("a page of another site, open beside the chat, can neither post, poll, join nor script as the user", async ({
  browser,
  chat,
  context,
  fakeLlm,
  userId,
}) => {
  const reply = numberedReply(12, 'secret')
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('my private question')
  await fakeLlm.release(userId, 3)
  await expect(chat.content(chat.answer(traceId))).toHaveText(firstTokens(reply, 3))

  const site = await startEvilSite()
  const evil = await newWindow(browser, context)
  await evil.goto(site.origin)
  const got = await evil.evaluate(
    async ({ backend, fake, traceId, userId, paths, socketPath, storageKey }) => {
      const attempt = async (request: () => Promise<Response>) => {
        try {
          const response = await request()
          return response.type === 'opaque' ? 'opaque' : `${response.status} ${await response.text()}`
        } catch {
          return 'blocked'
        }
      }
      const body = JSON.stringify({ message: 'answer me again', userId })
      return {
        postJson: await attempt(() => fetch(`${backend}${paths.chat}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
        postText: await attempt(() => fetch(`${backend}${paths.chat}`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body })),
        poll: await attempt(() => fetch(`${backend}${paths.message}?userId=${userId}`)),
        session: await attempt(() => fetch(`${backend}${paths.session}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })),
        script: await attempt(() =>
          fetch(`${fake}/__scenarios`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ userId, provider: 'openai', reply: 'planted' }) }),
        ),
        socket: await new Promise<string>((resolve) => {
          const socket = new WebSocket(`${backend.replace('http', 'ws')}${socketPath}`)
          socket.onopen = () => resolve('open')
          socket.onerror = () => resolve('refused')
        }),
        storage: sessionStorage.getItem(storageKey),
      }
    },
    {
      backend: BACKEND_URL,
      fake: FAKE_LLM_URL,
      traceId,
      userId,
      paths: { chat: API_ROUTES.chatStream.path, message: chatMessagePath(traceId), session: API_ROUTES.session.path },
      socketPath: `/streams/${STREAM_NAME}/${groupIdFor(userId)}`,
      storageKey: SESSION_STORAGE_KEY,
    },
  )
  // Every read is blocked by the browser (no CORS grant) or refused; the blind writes reach nothing.
  expect(got).toEqual({ postJson: 'blocked', postText: 'opaque', poll: 'blocked', session: 'blocked', script: 'opaque', socket: 'refused', storage: null })
  await evil.close()
  await site.close()

  await fakeLlm.release(userId)
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(traceId))).toHaveText(reply)
  await expect(chat.answers).toHaveCount(1)
  // The provider was asked once, by the user; no scenario was planted in the fake LLM (the fixture checks none is left).
  expect((await fakeLlm.requests(userId)).map((r) => r.prompt)).toEqual(['my private question'])
})
