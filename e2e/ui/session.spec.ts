import { SESSION_STORAGE_KEY } from '@chat/client'
import type { Session } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'

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
