import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'

test('tokens render progressively, long before the backend completes, and end exactly as published', async ({
  chat,
  fakeLlm,
  witness,
  userId,
}) => {
  const reply = numberedReply(20)
  await fakeLlm.script({ userId, provider: 'openai', reply, firstTokenMs: 50, tokenDelayMs: 40 })
  await chat.open()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  expect(chat.consoleLines).toContain(`[MotiaStream] Connected to chat-messages:user:${userId}`)

  const traceId = await chat.sendAndGetTraceId('Count to twenty')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  const complete = await witness.finished(traceId)
  expect(complete.event.type).toBe('complete')
  const content = complete.event.type === 'complete' ? complete.event.data.content : ''
  await expect(chat.content(answer)).toHaveText(content)
  expect(content).toBe(reply)

  const samples = await chat.samples(traceId)
  expectProgressiveGrowth(samples, reply, 5)
  const firstVisible = samples.find((s) => s.text.length > 0)!
  expect(complete.at - firstVisible.at, 'first words visible well before the backend sent complete').toBeGreaterThan(300)
  const statuses = samples.map((s) => s.status).filter((s, i, all) => s !== all[i - 1])
  expect(statuses).toEqual(['streaming', 'complete'])
  expect(samples.every((s) => s.transport === 'websocket')).toBe(true)
})

test('exactly k released tokens show exactly their text; the rest follows in order', async ({ chat, fakeLlm, userId }) => {
  const reply = numberedReply(15)
  const tokens = reply.split(/(?= )/)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Hold at five')
  const answer = chat.answer(traceId)

  await fakeLlm.release(userId, 5)
  await expect(chat.content(answer)).toHaveText(tokens.slice(0, 5).join(''))
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await expect(chat.sendButton).toBeDisabled()

  await fakeLlm.release(userId, 4)
  await expect(chat.content(answer)).toHaveText(tokens.slice(0, 9).join(''))

  await fakeLlm.release(userId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(reply)
})

test('markup from the model shows as text and runs nothing', async ({ chat, fakeLlm, userId, page }) => {
  const reply = 'Look: <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> <b>bold</b>\nline two'
  await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Show me markup')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(reply)
  expect(await chat.content(answer).locator('img, script, b').count()).toBe(0)
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
  // Line breaks are kept: the two lines render on two lines.
  const height = await chat.content(answer).evaluate((el) => el.getBoundingClientRect().height)
  const lineHeight = await chat.content(answer).evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 16)
  expect(height).toBeGreaterThan(lineHeight * 1.5)
})
