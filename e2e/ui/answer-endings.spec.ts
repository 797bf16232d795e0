import { endingNoticeText } from '@chat/client'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'

test('an answer cut off at the length limit completes with its text and says it was cut off; a reload says so too', async ({ chat, fakeLlm, userId }) => {
  const reply = numberedReply(12)
  await fakeLlm.script({ userId, provider: 'openai', reply: 'A whole answer.' })
  await fakeLlm.script({ userId, provider: 'openai', reply, failure: { kind: 'length', afterTokens: 7 } })
  const cutOff = endingNoticeText('length')!
  await chat.open()

  const whole = chat.answer(await chat.sendAndGetTraceId('Answer in full'))
  await expect(whole).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(whole)).toHaveText('A whole answer.')
  await expect(chat.endingNotice(whole)).toHaveCount(0)

  const cappedId = await chat.sendAndGetTraceId('Say a lot')
  const capped = chat.answer(cappedId)
  await expect(capped).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(capped)).toHaveText(firstTokens(reply, 7))
  await expect(chat.endingNotice(capped)).toContainText(cutOff)
  // Complete, not failed: no error, no switch, and the next message can go.
  await expect(chat.errorBanner).toBeHidden()
  await expect(chat.providerNotice(capped)).toHaveCount(0)
  await chat.input.fill('Next question')
  await expect(chat.sendButton).toBeEnabled()

  // The stored item carries it: a reload (the join's sync) shows the same.
  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.content(chat.answer(cappedId))).toHaveText(firstTokens(reply, 7))
  await expect(chat.endingNotice(chat.answer(cappedId))).toContainText(cutOff)
  await expect(chat.endingNotice(chat.answers.first())).toHaveCount(0)
})

test("an answer stopped by the provider's content filter shows the text so far and says so; it is complete, with no Retry", async ({ chat, fakeLlm, userId }) => {
  const reply = numberedReply(12)
  await fakeLlm.script({ userId, provider: 'openai', reply, failure: { kind: 'content_filter', afterTokens: 5 } })
  await chat.open()

  const answer = chat.answer(await chat.sendAndGetTraceId('Something the filter stops'))
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(firstTokens(reply, 5))
  await expect(chat.endingNotice(answer)).toContainText(endingNoticeText('content_filter')!)
  await expect(chat.errorBanner).toBeHidden()
  await expect(chat.retryButton).toHaveCount(0)
  await expect(chat.providerNotice(answer)).toHaveCount(0)
})

test('a question the model declines: a clear "declined" notice, no error banner and no Retry that would ask it again', async ({ chat, fakeLlm, userId }) => {
  // Anthropic is second in the chain: openai is refused at once, then anthropic declines before a word.
  await fakeLlm.script({ userId, provider: 'openai', reply: 'unused', failure: { kind: 'http_500', afterTokens: 0 } })
  await fakeLlm.script({ userId, provider: 'anthropic', reply: 'unused', failure: { kind: 'refusal', afterTokens: 0 } })
  await chat.open()

  const answer = chat.answer(await chat.sendAndGetTraceId('Something the model declines'))
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.endingNotice(answer)).toContainText(endingNoticeText('refusal')!)
  await expect(chat.content(answer)).toHaveText('')
  await expect(chat.errorBanner).toBeHidden()
  await expect(chat.retryButton).toHaveCount(0)
  await chat.input.fill('Something else, then')
  await expect(chat.sendButton).toBeEnabled()
})
