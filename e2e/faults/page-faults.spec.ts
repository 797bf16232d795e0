import type { Page } from '@playwright/test'
import { stackFaults } from '../../fixtures/faults/stack-faults'
import { numberedReply } from '../../fixtures/replies'
import type { BackendApi } from '../../fixtures/backend/backend-api'
import type { FakeLlmControl } from '../../fixtures/fake-llm/src/control-client'
import { APP_NAMES, appOrigin } from '@chat/apps'
import { expect, test as base } from '../../fixtures/test'
import type { ChatPage } from '../../fixtures/ui/chat-page'
import { pinToInstances } from '../../fixtures/ui/pinned-instances'
import { expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'
import { BACKEND_URL, backendInstanceUrls } from '../../fixtures/stack/urls'
import { backendInstances } from '../../scripts/backend-instances'

/** An answer the page completed before the fault; its stored item must come through byte for byte. */
const earlierAnswer = async (chat: ChatPage, backend: BackendApi, fakeLlm: FakeLlmControl) => {
  await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply: 'Safe and sound.' })
  const traceId = await chat.sendAndGetTraceId('an earlier question')
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  const stored = await (await backend.message(traceId)).text()
  return {
    unchanged: async () => expect(await (await backend.message(traceId)).text()).toBe(stored),
    /**
     * Resolves once every backend instance reads its store again (the polling route answers 503 while Redis is away;
     * each instance reconnects on its own, within 1 s of Redis, and the balancer may send the next request to either).
     */
    readable: () =>
      Promise.all(
        backendInstanceUrls().map((url) =>
          expect.poll(async () => (await backend.at(url).message(traceId)).status(), { timeout: 10_000 }).toBe(200),
        ),
      ),
  }
}

/** Starts a long answer and resolves once the page shows its first words: a fault now hits it mid-answer. */
const longAnswerUnderWay = async (chat: ChatPage, fakeLlm: FakeLlmControl): Promise<string> => {
  await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply: numberedReply(80), tokenDelayMs: 60 })
  const traceId = await chat.sendAndGetTraceId('a long answer')
  await expect(chat.content(chat.answer(traceId))).toContainText('w05')
  return traceId
}

/** Scripts `reply`, clicks Retry, and checks the retried answer streams to the end; resolves with its traceId. */
const retryAnswers = async (chat: ChatPage, fakeLlm: FakeLlmControl, reply: string): Promise<string> => {
  await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply })
  const retried = nextAccepted(chat.page)
  await chat.retryButton.click()
  const traceId = await retried
  await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answer(traceId))).toHaveText(reply)
  return traceId
}

/** The traceId of the next POST the page makes that the backend accepted. */
const nextAccepted = (page: Page) =>
  page
    .waitForResponse((r) => r.url().endsWith('/api/chat/stream') && r.status() === 202)
    .then(async (r) => ((await r.json()) as { traceId: string }).traceId)

type EarlierAnswer = Awaited<ReturnType<typeof earlierAnswer>>

/** Every test starts on the app, live, with one answer already complete. */
const test = base.extend<{ earlier: EarlierAnswer }>({
  earlier: async ({ chat, backend, fakeLlm }, use) => {
    await chat.open()
    await use(await earlierAnswer(chat, backend, fakeLlm))
  },
})

// Faults stop services every spec shares: one at a time, never beside other tests (see playwright.config.ts).
test.describe.configure({ mode: 'serial' })

const note = (type: string, description: string) => test.info().annotations.push({ type, description })

for (const app of APP_NAMES) {
  test.describe(app, () => {
    test.use({ appName: app, baseURL: appOrigin(app) })
    // The backend's kill comes last: the stack gives up on a service that dies 3 times in 30 s, and the kills of
    // one app and the next are a whole app's tests apart.

    test('Redis away for 3 s mid-answer: the answer still ends (never a spinner), and the next question streams live', async ({
      chat,
      fakeLlm,
      earlier,
    }) => {
      const traceId = await longAnswerUnderWay(chat, fakeLlm)

      // The outage lasts 3 s, whatever the page does meanwhile.
      const { stoppedAt: faultAt, backAt } = await stackFaults.outage('redis', () => new Promise((resolve) => setTimeout(resolve, 3_000)))
      await expect(chat.answer(traceId)).toHaveAttribute('data-status', /^(complete|error)$/, { timeout: 30_000 })
      note('redis-outage → page', `answer ${await chat.answer(traceId).getAttribute('data-status')} ${Date.now() - faultAt} ms after Redis stopped`)

      await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply: 'Live after the outage.' })
      const next = await chat.sendAndGetTraceId('and now?')
      await expect(chat.answer(next)).toHaveAttribute('data-status', 'complete')
      await expect(chat.content(chat.answer(next))).toHaveText('Live after the outage.')
      note('redis back → next answer', `${Date.now() - backAt} ms from Redis back to the next answer complete`)
      await earlier.unchanged()
    })

    test('a POST while Redis is away: a clear "unavailable" banner, nothing lost, and Retry works once it is back', async ({
      chat,
      fakeLlm,
      earlier,
    }) => {
      const { backAt } = await stackFaults.outage('redis', async () => {
        const refused = chat.page.waitForResponse((r) => r.url().endsWith('/api/chat/stream') && r.request().method() === 'POST')
        const sentAt = Date.now()
        await chat.send('during the outage')
        expect((await refused).status()).toBe(503)
        await expect(chat.errorBanner).toContainText(/unreachable|try again/i)
        note('redis-outage POST → banner', `${Date.now() - sentAt} ms from Send to the banner`)
      })
      await earlier.readable()
      await retryAnswers(chat, fakeLlm, 'Sent on the second try.')
      note('redis back → retried answer', `${Date.now() - backAt} ms from Redis back to the retried answer complete`)
      await expect(chat.errorBanner).toBeHidden()
      await earlier.unchanged()
    })

    test('a Send while Redis hangs (SIGSTOP, connections open): the "unavailable" banner within 3 s, never a spinner, and Retry works once Redis goes on', async ({
      chat,
      fakeLlm,
      earlier,
    }) => {
      const { resumedAt } = await stackFaults.hang('redis', async () => {
        const refused = chat.page.waitForResponse((r) => r.url().endsWith('/api/chat/stream') && r.request().method() === 'POST')
        const sentAt = Date.now()
        await chat.send('during the hang')
        expect((await refused).status()).toBe(503)
        await expect(chat.errorBanner).toContainText(/unavailable|try again/i)
        const shownAfter = Date.now() - sentAt
        note('redis-hang POST → banner', `${shownAfter} ms from Send to the banner`)
        expect(shownAfter, 'the banner within the bound').toBeLessThan(3_000)
      })
      await earlier.readable()
      await retryAnswers(chat, fakeLlm, 'Sent once Redis went on.')
      note('redis resumed → retried answer', `${Date.now() - resumedAt} ms from Redis going on to the retried answer complete`)
      await expect(chat.errorBanner).toBeHidden()
      await earlier.unchanged()
    })

    test('the fake LLM killed mid-answer: the switch, then the error banner, then Retry answers once it is back', async ({
      chat,
      fakeLlm,
      earlier,
    }) => {
      const traceId = await longAnswerUnderWay(chat, fakeLlm)

      const { backAt } = await stackFaults.outage('fake-llm', async (faultAt) => {
        await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'error')
        await expect(chat.errorBanner).toContainText(/provider/i)
        note('fake-llm kill → page', `${Date.now() - faultAt} ms from the kill to the answer shown failed`)
      })
      // A restarted fake LLM has forgotten every script: this answer is scripted anew.
      await retryAnswers(chat, fakeLlm, 'The provider is back.')
      note('fake-llm back → retried answer', `${Date.now() - backAt} ms from the fake LLM back to the retried answer complete`)
      await earlier.unchanged()
    })

    test('the instance holding the page\'s socket killed mid-answer: the page reconnects through the balancer, resyncs, and the answer ends exactly right', async ({
      chat,
      fakeLlm,
      page,
      session,
    }) => {
      const [A, B] = backendInstanceUrls()
      const [, instanceB] = backendInstances(process.env)
      test.skip(!B, 'needs two backend instances (BACKEND_INSTANCES ≥ 2)')
      // The first socket on B; the POST on A; the reconnection goes wherever the balancer sends it.
      await pinToInstances(page, session, { socketAt: [B!, BACKEND_URL], postAt: A! })
      await chat.open()
      const reply = numberedReply(80)
      await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply, tokenDelayMs: 60 })
      const traceId = await chat.sendAndGetTraceId('a long answer, generated on A')
      const answer = chat.answer(traceId)
      await expect(chat.content(answer)).toContainText('w05')

      await stackFaults.kill(instanceB!.name as `backend-${number}`)
      const faultAt = Date.now()
      await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 30_000 })
      note('socket-instance kill → complete', `${Date.now() - faultAt} ms from the kill to the answer complete`)
      await expect(chat.content(answer)).toHaveText(reply)
      expectProgressiveGrowth(await chat.samples(traceId), reply, 5)
      await stackFaults.waitUntilBack(instanceB!.name as `backend-${number}`)
    })

    test('the backend killed mid-answer and restarted: the answer ends as failed with a Retry that works, and a reload shows the same', async ({
      chat,
      fakeLlm,
      earlier,
    }) => {
      const traceId = await longAnswerUnderWay(chat, fakeLlm)

      await stackFaults.kill('backend')
      const faultAt = Date.now()
      await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'error', { timeout: 30_000 })
      await expect(chat.errorBanner).toBeVisible()
      note('backend-kill → page', `${Date.now() - faultAt} ms from the kill to the answer shown failed`)

      const retryAt = Date.now()
      const retryTrace = await retryAnswers(chat, fakeLlm, 'Answered after the restart.')
      note('backend back → retried answer', `${Date.now() - retryAt} ms from Retry to the retried answer complete`)

      await chat.page.reload()
      await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
      await expect(chat.answer(traceId)).toHaveAttribute('data-status', 'error')
      await expect(chat.answer(retryTrace)).toHaveAttribute('data-status', 'complete')
      await earlier.unchanged()
    })
  })
}
