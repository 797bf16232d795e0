import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { pinToInstances } from '../../fixtures/ui/pinned-instances'
import { expectProgressiveGrowth } from '../../fixtures/ui/samples-assertions'

const [A, B] = backendInstanceUrls()
test.skip(!B, 'needs two backend instances (BACKEND_INSTANCES ≥ 2)')

test('the answer generated on the instance the page\'s socket is not on streams progressively and ends exactly as published', async ({
  chat,
  fakeLlm,
  page,
  session,
  userId,
  witness,
}) => {
  await pinToInstances(page, session, { socketAt: B!, postAt: A! })
  const reply = numberedReply(20)
  await fakeLlm.script({ userId, provider: 'openai', reply, firstTokenMs: 50, tokenDelayMs: 40 })
  await chat.open()

  const traceId = await chat.sendAndGetTraceId('Count to twenty, from the other instance')
  const answer = chat.answer(traceId)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(answer)).toHaveText(reply)

  const complete = await witness.finished(traceId)
  const samples = await chat.samples(traceId)
  expectProgressiveGrowth(samples, reply, 5)
  const firstVisible = samples.find((sample) => sample.text.length > 0)!
  expect(complete.at - firstVisible.at, 'first words visible well before the backend sent complete').toBeGreaterThan(300)
  expect(samples.every((sample) => sample.transport === 'websocket'), 'every sample shown from the socket, none polled').toBe(true)
})
