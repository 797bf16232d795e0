import { RENEW_WITHIN_MS, SESSION_STORAGE_KEY } from '@chat/client'
import type { Session } from '@chat/protocol'
import { issueSession, sessionKeys } from '../../apps/backend/lib/auth/session-token'
import { numberedReply } from '../../fixtures/replies'
import { expect, test } from '../../fixtures/test'
import { expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'
import { readStackSecrets } from '../../scripts/stack-secrets'

const heldSession = async (page: import('@playwright/test').Page): Promise<Session | null> =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? 'null') as Session | null, SESSION_STORAGE_KEY)

test('a tab without a session gets one from the backend, and a reload keeps its user and conversation', async ({ page, fakeLlm }) => {
  await page.goto('/')
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', 'websocket')
  const first = await heldSession(page)
  expect(first?.userId).toMatch(/^u_[A-Za-z0-9_-]{22}$/)
  const userId = first!.userId
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Kept across reloads.' })
  try {
    await page.getByTestId('chat-input').fill('Who am I?')
    await page.getByTestId('send-button').click()
    const answer = page.getByTestId('chat-message').and(page.locator('[data-role="assistant"]'))
    await expect(answer).toHaveAttribute('data-status', 'complete')

    await page.reload()
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', 'websocket')
    expect(await heldSession(page)).toEqual(first)
    await expect(page.getByTestId('chat-message')).toHaveCount(2)
    await expect(answer.getByTestId('message-content')).toHaveText('Kept across reloads.')
    // The conversation is the session user's: no other tab's session was ever asked for or used.
    expect((await fakeLlm.requests(userId)).map((r) => r.prompt)).toEqual(['Who am I?'])
  } finally {
    await fakeLlm.clear(userId)
  }
})

test('a session renewed while an answer streams: the tab goes on as the same user with the new token, its socket reopened, and the answer ends exactly right', async ({
  fakeLlm,
  newChat,
  userId,
}) => {
  // The test user's session, signed with the stack's key, due for renewal (an hour before its expiry) 5 s from now.
  const dueSoon = await issueSession(sessionKeys(readStackSecrets().SESSION_SECRET, RENEW_WITHIN_MS / 1000 + 5), userId)
  const chat = await newChat(dueSoon)
  await chat.open()
  const reply = numberedReply(80)
  await fakeLlm.script({ userId, provider: 'openai', reply, tokenDelayMs: 100 })
  const traceId = await chat.sendAndGetTraceId('a long answer across the renewal')
  const answer = chat.answer(traceId)

  // Renewed mid-answer: the same user, a new token that lasts longer.
  await expect.poll(async () => (await heldSession(chat.page))?.token, { timeout: 15_000 }).not.toBe(dueSoon.token)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  const renewed = (await heldSession(chat.page))!
  expect(renewed.userId).toBe(userId)
  expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(dueSoon.expiresAt))

  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 })
  await expect(chat.content(answer)).toHaveText(reply)
  expectProgressiveGrowth(await chat.samples(traceId), reply, 5)
  await chat.expectConnection('websocket')
})
