import { API_ROUTES, ERROR_CODES, type Session } from '@chat/protocol'
import { SESSION_STORAGE_KEY } from '@chat/client'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { limitSettings } from '../../apps/backend/lib/limits/limit-settings'
import { refuseNext } from '../../fixtures/ui/chat-page'

// Each refusal that makes the chat wait (a busy instance's `503`, a limit's `429`), with `Retry-After`: the words the
// user reads while the wait runs, a moment before it ends, and once it is over. The waits run on the page's timers:
// the specs move the page's clock.
const LIMITS = [
  {
    status: 503,
    code: ERROR_CODES.busy,
    retryAfter: 7,
    waiting: 'The chat is busy right now. Try again in 7 s.',
    later: { after: 3_000, words: 'The chat is busy right now. Try again in 4 s.' },
    over: 'The chat was busy. Try again now.',
    notSent: 'Not sent: the chat was busy.',
  },
  {
    status: 429,
    code: ERROR_CODES.rateLimited,
    retryAfter: 4,
    waiting: "You're sending messages faster than the chat allows. Try again in 4 s.",
    later: { after: 3_000, words: "You're sending messages faster than the chat allows. Try again in 1 s." },
    over: 'You were sending messages faster than the chat allows. Try again now.',
    notSent: 'Not sent: too many messages in a short time.',
  },
  {
    status: 429,
    code: ERROR_CODES.tooManyInFlight,
    retryAfter: 3,
    waiting: 'Wait for an answer to finish: you have as many answers in progress as the chat allows. Try again in 3 s.',
    later: { after: 1_000, words: 'Wait for an answer to finish: you have as many answers in progress as the chat allows. Try again in 2 s.' },
    over: 'You had as many answers in progress as the chat allows. Try again now.',
    notSent: 'Not sent: too many answers in progress.',
  },
  {
    // 5 h 12 min: shown in hours and minutes, and held for all of it — past the 60 s a busy wait is held at most.
    status: 429,
    code: ERROR_CODES.budgetExhausted,
    retryAfter: 5 * 3600 + 12 * 60,
    waiting: "You've used today's answer allowance. Try again in 5 h 12 min.",
    later: { after: 61_000, words: "You've used today's answer allowance. Try again in 5 h 11 min." },
    over: "Today's answer allowance has renewed. Try again now.",
    notSent: "Not sent: today's answer allowance is used up.",
  },
] as const

/**
 * The page's clock stops as the refusal is answered, so a wait counts down on the page's clock alone: a slow machine
 * cannot spend part of it (in real time) between the refusal and the spec's moves of the clock. Stopped, the page
 * paints only when its clock moves (the apps hand their state to the UI at animation frames): each move ends with a
 * few frames' worth of time.
 */
const stopClockAtRefusal = (page: Page) => () => page.clock.pauseAt(Date.now() + 1_000)
const PAINT_MS = 50
const paint = (page: Page) => page.clock.runFor(PAINT_MS)
const advance = async (page: Page, ms: number) => {
  await page.clock.fastForward(ms)
  await paint(page)
}
/** The first paint after the refusal: the page may read the response a moment after the spec looks. */
const expectPaintedWith = (page: Page, banner: Locator, words: string) =>
  expect(async () => {
    await paint(page)
    await expect(banner).toContainText(words, { timeout: 250 })
  }).toPass()

for (const limit of LIMITS) {
  test(`refused (${limit.status} ${limit.code}): the banner says so in our words and when to try again, nothing can be sent until then, and the chat works afterwards`, async ({
    chat,
    fakeLlm,
    page,
    userId,
  }) => {
    await page.clock.install()
    const serverWords = `${limit.code}: the server's own words (not for users)`
    await chat.answerNextPostRefused(limit.status, limit.code, String(limit.retryAfter), serverWords, stopClockAtRefusal(page))
    const retried = numberedReply(8)
    await fakeLlm.script({ userId, provider: 'openai', reply: retried })
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Still here.' })
    await chat.open()

    await chat.send('One more, please?')
    await expectPaintedWith(page, chat.errorBanner, limit.waiting)
    await expect(chat.errorBanner).not.toContainText(serverWords)
    // No Retry that would be refused at once, and no send either; the question stays, marked not sent; the box takes text.
    await expect(chat.retryButton).toHaveCount(0)
    await expect(chat.messages).toHaveCount(1)
    await expect(chat.messages.first()).toHaveAttribute('data-role', 'user')
    await expect(chat.messages.first()).toHaveAttribute('data-status', 'error')
    await expect(chat.content(chat.messages.first())).toHaveText('One more, please?')
    await expect(chat.messages.first()).toContainText(limit.notSent)
    await chat.input.fill('And after that?')
    await expect(chat.input).toHaveValue('And after that?')
    await expect(chat.sendButton).toBeDisabled()

    await advance(page, limit.later.after)
    await expect(chat.errorBanner).toContainText(limit.later.words)
    await expect(chat.retryButton).toHaveCount(0)
    await expect(chat.sendButton).toBeDisabled()
    await advance(page, limit.retryAfter * 1000 - limit.later.after)
    await expect(chat.errorBanner).toContainText(limit.over)
    await expect(chat.sendButton).toBeEnabled()

    // The limit has passed: Retry sends the kept question, and its answer streams to the end.
    await page.clock.resume()
    await chat.retryButton.click()
    await expect(chat.errorBanner).toBeHidden()
    const answer = chat.lastAnswer()
    await expect(answer).toHaveAttribute('data-status', 'complete')
    await expect(chat.content(answer)).toHaveText(retried)
    const traceId = await answer.getAttribute('data-trace-id')
    expect(new Set((await chat.samples(traceId ?? undefined)).map((s) => s.text)).size, 'the answer streamed in steps').toBeGreaterThan(2)
    await expect(chat.messages.first()).toHaveAttribute('data-status', 'complete')

    // The text typed meanwhile is still in the box and goes too.
    await expect(chat.input).toHaveValue('And after that?')
    await chat.sendButton.click()
    await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete')
    await expect(chat.content(chat.lastAnswer())).toHaveText('Still here.')
    await expect(chat.messages).toHaveCount(4)
  })
}

test('a new session refused (429 too_many_sessions): the page says so in our words and when it tries again, then gets one and chats', async ({
  bareChat: chat,
  page,
  appName,
  fakeLlm,
}) => {
  // `chat` only reads the page here: the tab starts without a session, so the app asks the backend for one.
  await page.clock.install()
  const serverWords = 'too_many_sessions: the server words (not for users)'
  await refuseNext(page, appName, API_ROUTES.session.path, 429, ERROR_CODES.tooManySessions, '30', serverWords, stopClockAtRefusal(page))
  await page.goto('/')
  await expectPaintedWith(page, chat.errorBanner, 'Too many new chat sessions were started from your network. Connecting again in 30 s.')
  await expect(chat.errorBanner).not.toContainText(serverWords)
  await expect(chat.retryButton).toHaveCount(0)
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'connecting')

  await advance(page, 10_000)
  await expect(chat.errorBanner).toContainText('Connecting again in 20 s.')
  await advance(page, 20_000)
  await page.clock.resume()
  await chat.expectConnection('websocket')
  await expect(chat.errorBanner).toBeHidden()
  const session = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? 'null') as Session | null, SESSION_STORAGE_KEY)
  expect(session?.userId).toMatch(/^u_/)
  const userId = session!.userId
  await fakeLlm.script({ userId, provider: 'openai', reply: 'A session at last.' })
  try {
    await chat.send('Hello?')
    await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete')
    await expect(chat.content(chat.lastAnswer())).toHaveText('A session at last.')
  } finally {
    await fakeLlm.clear(userId)
  }
})

test("the backend's own limit, not a stub: a user who spent the burst elsewhere reads the wait in the banner, and sends once it lifts", async ({
  backend,
  chat,
  fakeLlm,
  userId,
  witness,
}) => {
  const burst = limitSettings(process.env).answersBurst
  // The same user, from another client: the burst spent at the backend (answers one after another, each ended).
  for (let i = 0; i < burst.points; i++) {
    await fakeLlm.script({ userId, provider: 'openai', reply: `elsewhere ${i}`, firstTokenMs: 0, tokenDelayMs: 0 })
    const { traceId } = await backend.startAnswer(`elsewhere ${i}`)
    await witness.finished(traceId)
  }
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(8) })
  await chat.open()

  await chat.send('And from this tab?')
  await expect(chat.errorBanner).toContainText(/You're sending messages faster than the chat allows\. Try again in \d s\./)
  await expect(chat.retryButton).toHaveCount(0)
  await expect(chat.retryButton).toBeVisible({ timeout: (burst.seconds + 2) * 1000 })
  await chat.retryButton.click()
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.lastAnswer())).toHaveText(numberedReply(8))
})
