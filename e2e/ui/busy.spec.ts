import { busyNoticeText } from '@chat/client'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'

test('a busy backend: the banner names when to try again, and the message box works afterwards', async ({ chat, fakeLlm, page, userId }) => {
  // The wait runs on the page's timers: the spec moves the page's clock past it instead of waiting.
  await page.clock.install()
  const serverWords = 'instance at capacity (not for users)'
  await chat.answerNextPostBusy('7', serverWords)
  const retried = numberedReply(8)
  await fakeLlm.script({ userId, provider: 'openai', reply: retried })
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Still here.' })
  await chat.open()

  await chat.send('Is anyone free?')
  await expect(chat.errorBanner).toContainText('The chat is busy right now. Try again in 7 s.')
  await expect(chat.errorBanner).not.toContainText(serverWords)
  // No Retry that would fail at once, and no send either; the question stays, marked not sent; the box takes text.
  await expect(chat.retryButton).toHaveCount(0)
  await expect(chat.messages).toHaveCount(1)
  await expect(chat.messages.first()).toHaveAttribute('data-role', 'user')
  await expect(chat.messages.first()).toHaveAttribute('data-status', 'error')
  await expect(chat.content(chat.messages.first())).toHaveText('Is anyone free?')
  await chat.input.fill('And after that?')
  await expect(chat.sendButton).toBeDisabled()

  await page.clock.fastForward(3_000)
  await expect(chat.errorBanner).toContainText(busyNoticeText(4))
  await expect(chat.retryButton).toHaveCount(0)
  await page.clock.fastForward(4_000)
  await expect(chat.errorBanner).toContainText(busyNoticeText(0))
  await expect(chat.sendButton).toBeEnabled()

  // The backend takes requests again: Retry sends the kept question, and its answer streams to the end.
  await chat.retryButton.click()
  await expect(chat.errorBanner).toBeHidden()
  const answer = chat.lastAnswer()
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(retried)
  const traceId = await answer.getAttribute('data-trace-id')
  expect(new Set((await chat.samples(traceId ?? undefined)).map((s) => s.text)).size, 'the answer streamed in steps').toBeGreaterThan(2)
  await expect(chat.messages.first()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.messages.first())).toHaveText('Is anyone free?')

  // The text typed meanwhile is still in the box and goes too.
  await expect(chat.input).toHaveValue('And after that?')
  await chat.sendButton.click()
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.lastAnswer())).toHaveText('Still here.')
  await expect(chat.messages).toHaveCount(4)
})
