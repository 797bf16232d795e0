import { switchNoticeText } from '@chat/client'
import { expect, test } from '../../fixtures/test'
import { FAILOVER_CASES } from '../../fixtures/failover-cases'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { FIRST_TOKEN_TIMEOUT_MS } from '../../fixtures/stack/provider-bounds'
import { distinctTexts, expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'

const ANTHROPIC_TOKENS = 12
const ANTHROPIC_STEP = 2

for (const failure of FAILOVER_CASES) {
  test(`openai ${failure.kind} after ${failure.afterTokens} tokens: its partial text shown, then cleared at the switch with a notice naming the reason (${failure.reason}), then anthropic's answer streamed`, async ({
    chat,
    fakeLlm,
    userId,
  }) => {
    // Waiting out the first-token bound is the behaviour under test; every other case is over in about a second.
    const switchWithin = failure.reason === 'timeout' ? { timeout: FIRST_TOKEN_TIMEOUT_MS + 10_000 } : {}
    const partial = numberedReply(10, 'old')
    const answerText = numberedReply(ANTHROPIC_TOKENS, 'new')
    // Both gated: the spec decides when each provider's tokens go out, so each stage can be seen as it is.
    await fakeLlm.script({ userId, provider: 'openai', reply: partial, gated: true, failure: { kind: failure.kind, afterTokens: failure.afterTokens } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: answerText, gated: true })
    await chat.open()

    const traceId = await chat.sendAndGetTraceId(`Please fail with ${failure.kind}`)
    const answer = chat.answer(traceId)
    const notice = chat.providerNotice(answer)
    const shownBefore = failure.afterTokens > 0 ? firstTokens(partial, failure.afterTokens - 1) : ''
    if (failure.afterTokens > 0) {
      // All but the last token before the failure: the partial text stays on screen until the spec lets the rest go.
      await fakeLlm.release(userId, failure.afterTokens - 1)
      await expect(chat.content(answer), "openai's partial text").toHaveText(shownBefore)
      await expect(notice).toBeHidden()
      await fakeLlm.release(userId, 1)
    }
    // The switch: anthropic has not sent a token yet, so the text the user sees now is what the switch left.
    await expect(notice).toContainText(switchNoticeText('openai', 'anthropic', failure.reason), switchWithin)
    await expect(chat.content(answer), 'the partial text cleared at the switch').toHaveText('')
    await expect(answer).toHaveAttribute('data-status', 'streaming')

    // Anthropic's answer two tokens at a time, each pair seen before the next goes out: it streams, and no stall of a
    // loaded machine (seen: the page frozen from the 1st token to the 10th) can fold it into one step.
    for (let shown = ANTHROPIC_STEP; shown < ANTHROPIC_TOKENS; shown += ANTHROPIC_STEP) {
      await fakeLlm.release(userId, ANTHROPIC_STEP)
      await expect(chat.content(answer), "anthropic's answer, as far as it was let go").toHaveText(firstTokens(answerText, shown))
      await expect(answer).toHaveAttribute('data-status', 'streaming')
    }
    await fakeLlm.release(userId)
    await expect(answer).toHaveAttribute('data-status', 'complete')
    await expect(chat.content(answer)).toHaveText(answerText)
    await expect(chat.providerBadge(answer)).toHaveText(/anthropic/i)
    // The notice stays with the finished answer: the user still reads why another provider wrote it.
    await expect(notice).toContainText(switchNoticeText('openai', 'anthropic', failure.reason))

    const samples = await chat.samples(traceId)
    const texts = distinctTexts(samples)
    const firstNew = texts.findIndex((text) => text.startsWith('new'))
    if (failure.afterTokens > 0) {
      const [lastOld, cleared] = texts.slice(firstNew - 2, firstNew)
      expect(lastOld?.startsWith(shownBefore), 'the partial text, then nothing, then the new answer').toBe(true)
      expect(cleared).toBe('')
    }
    expect(texts.slice(firstNew).every((text) => !text.includes('old'))).toBe(true)
    expectProgressiveGrowth(samples.slice(samples.findIndex((s) => s.text.startsWith('new'))), answerText, 5)
  })
}

test('both providers fail: the error banner explains it, and retry answers once the providers recover', async ({
  chat,
  fakeLlm,
  userId,
}) => {
  await fakeLlm.script({ userId, provider: 'openai', failure: { kind: 'http_500', afterTokens: 0 } })
  await fakeLlm.script({ userId, provider: 'anthropic', failure: { kind: 'http_429', afterTokens: 0 } })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('Nobody can answer this')
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'error')
  await expect(chat.errorBanner).toBeVisible()
  await expect(chat.errorBanner).toContainText(/provider/i)

  await fakeLlm.clear(userId)
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Back in business.' })
  const retried = chat.page.waitForResponse((r) => r.url().endsWith('/api/chat/stream') && r.status() === 202)
  await chat.retryButton.click()
  const { traceId: retryTrace } = (await (await retried).json()) as { traceId: string }
  await expect(chat.answer(retryTrace)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(retryTrace))).toHaveText('Back in business.')
  await expect(chat.errorBanner).toBeHidden()
})
