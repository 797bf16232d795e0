import { switchNoticeText } from '@chat/client'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { FIRST_TOKEN_TIMEOUT_MS } from '../../fixtures/stack/provider-bounds'
import { distinctTexts, expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'

const failures = [
  { kind: 'http_500', afterTokens: 0, reason: 'http_5xx' },
  { kind: 'disconnect', afterTokens: 5, reason: 'error' },
  { kind: 'stall', afterTokens: 4, reason: 'stalled' },
  { kind: 'http_429', afterTokens: 0, reason: 'rate_limited' },
  { kind: 'truncated', afterTokens: 5, reason: 'truncated' },
  { kind: 'malformed', afterTokens: 4, reason: 'malformed' },
  // Accepted, headers sent, never a first token: the first-token bound ends the attempt.
  { kind: 'stall', afterTokens: 0, reason: 'timeout' },
] as const

for (const failure of failures) {
  test(`openai ${failure.kind} after ${failure.afterTokens} tokens: a notice naming the reason (${failure.reason}), the partial text cleared, anthropic's answer streamed`, async ({
    chat,
    fakeLlm,
    userId,
  }) => {
    // Waiting out the first-token bound is the behaviour under test; every other case is over in about a second.
    const switchWithin = failure.reason === 'timeout' ? { timeout: FIRST_TOKEN_TIMEOUT_MS + 10_000 } : {}
    const partial = numberedReply(10, 'old')
    const answerText = numberedReply(12, 'new')
    await fakeLlm.script({ userId, provider: 'openai', reply: partial, failure: { kind: failure.kind, afterTokens: failure.afterTokens } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: answerText, tokenDelayMs: 35 })
    await chat.open()

    const traceId = await chat.sendAndGetTraceId(`Please fail with ${failure.kind}`)
    const answer = chat.answer(traceId)
    await expect(answer).toHaveAttribute('data-status', 'complete', switchWithin)
    await expect(chat.content(answer)).toHaveText(answerText)
    const notice = answer.getByTestId('provider-notice')
    await expect(notice).toContainText(switchNoticeText('openai', 'anthropic', failure.reason))
    await expect(answer.getByTestId('provider-badge')).toHaveText(/anthropic/i)

    const texts = distinctTexts(await chat.samples(traceId))
    const firstNew = texts.findIndex((text) => text.startsWith('new'))
    const before = texts.slice(0, firstNew)
    const after = texts.slice(firstNew)
    // The first provider's words were shown as they came, then cleared once, never mixed with the new answer.
    if (failure.afterTokens > 0) {
      expect(before.at(-2) ?? before.at(-1)).toContain('old')
      expect(before.filter((text) => text === '').length, 'cleared once').toBeGreaterThanOrEqual(1)
    }
    expect(after.every((text) => !text.includes('old'))).toBe(true)
    expectProgressiveGrowth(
      (await chat.samples(traceId)).slice((await chat.samples(traceId)).findIndex((s) => s.text.startsWith('new'))),
      answerText,
      5,
    )
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
