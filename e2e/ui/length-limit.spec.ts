import { cutOffNoticeText } from '@chat/client'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'

test('an answer cut off at the length limit completes with its text and says it was cut off; a reload says so too', async ({ chat, fakeLlm, userId }) => {
  const reply = numberedReply(12)
  await fakeLlm.script({ userId, provider: 'openai', reply: 'A whole answer.' })
  await fakeLlm.script({ userId, provider: 'openai', reply, failure: { kind: 'length', afterTokens: 7 } })
  const cutOff = cutOffNoticeText('length')!
  await chat.open()

  const whole = chat.answer(await chat.sendAndGetTraceId('Answer in full'))
  await expect(whole).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(whole)).toHaveText('A whole answer.')
  await expect(chat.cutOffNotice(whole)).toHaveCount(0)

  const cappedId = await chat.sendAndGetTraceId('Say a lot')
  const capped = chat.answer(cappedId)
  await expect(capped).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(capped)).toHaveText(firstTokens(reply, 7))
  await expect(chat.cutOffNotice(capped)).toContainText(cutOff)
  // Complete, not failed: no error, no switch, and the next message can go.
  await expect(chat.errorBanner).toBeHidden()
  await expect(chat.providerNotice(capped)).toHaveCount(0)
  await chat.input.fill('Next question')
  await expect(chat.sendButton).toBeEnabled()

  // The stored item carries it: a reload (the join's sync) shows the same.
  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.content(chat.answer(cappedId))).toHaveText(firstTokens(reply, 7))
  await expect(chat.cutOffNotice(chat.answer(cappedId))).toContainText(cutOff)
  await expect(chat.cutOffNotice(chat.answers.first())).toHaveCount(0)
})
