import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { RENDER_BUDGET_ATTACHMENT } from '../../fixtures/report/render-budget'
import { RenderMeter } from '../../fixtures/ui/render-meter'

const TOKENS = 1000

test(`a ${TOKENS}-token answer 5 ms apart: no long task, the main thread mostly idle, at most one paint of the answer per frame, the exact text`, async ({
  bareChat: chat,
  fakeLlm,
  page,
  userId,
}, testInfo) => {
  test.setTimeout(60_000)
  const reply = numberedReply(TOKENS)
  await fakeLlm.script({ userId, provider: 'openai', reply, firstTokenMs: 50, tokenDelayMs: 5 })
  await chat.open()

  const meter = await RenderMeter.start(page)
  const traceId = await chat.sendAndGetTraceId('A long answer, please')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 45_000 })
  await expect(chat.content(answer)).toHaveText(reply)
  const budget = await meter.stop(TOKENS)
  await testInfo.attach(RENDER_BUDGET_ATTACHMENT, { body: JSON.stringify(budget, null, 2), contentType: 'application/json' })

  expect(budget.streamingMs, 'the answer streamed over time, not at once').toBeGreaterThan(TOKENS * 5 * 0.8)
  expect(budget.frames, 'frames were rendered while it streamed').toBeGreaterThan(budget.streamingMs / 100)
  expect.soft(budget.worstTaskCpuMs, 'no long task (50 ms or more of CPU)').toBeLessThan(50)
  expect.soft(budget.busyShare, 'main thread busy at most 25% of the streaming time').toBeLessThanOrEqual(0.25)
  expect.soft(budget.maxPaintsPerFrame, 'at most one paint of the answer per frame').toBeLessThanOrEqual(1)
})
