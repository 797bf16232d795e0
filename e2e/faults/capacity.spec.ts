import { postChatMessage } from '@chat/client'
import { ERROR_CODES } from '@chat/protocol'
import { answersPerInstance } from '../../apps/backend/lib/motia/event-concurrency'
import { BUSY_RETRY_AFTER_SECONDS } from '../../apps/backend/lib/http/error-response'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'

// Fills one instance to its bound: nothing else may run beside it (the faults project runs one test at a time).
test.describe.configure({ mode: 'serial' })

const [A] = backendInstanceUrls()
const CAPACITY = answersPerInstance(process.env)

test(`an instance streaming its ${CAPACITY} answers: the next POST gets 503 busy with Retry-After, nothing recorded, no provider asked; a slot frees when an answer ends`, async ({
  backend,
  fakeLlm,
  session,
  userId,
}) => {
  const instance = backend.at(A!)
  const witness = await StreamWitness.join(session, A)
  try {
    // Each answer streams for 20 s (a token a second, within the provider idle timeout): longer than the POSTs take.
    const slow = numberedReply(20)
    await Promise.all(Array.from({ length: CAPACITY }, () => fakeLlm.script({ userId, provider: 'openai', reply: slow, tokenDelayMs: 1_000 })))
    // The apps' own POST (fetch): Playwright's request context sends a burst this size over about 20 s.
    const held = await Promise.all(Array.from({ length: CAPACITY }, (_, i) => postChatMessage(A!, session.token, { message: `held ${i}` })))

    const refused = await instance.postChat({ message: 'one too many' })
    expect(refused.status()).toBe(503)
    expect(refused.headers()['retry-after']).toBe(String(BUSY_RETRY_AFTER_SECONDS))
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(ERROR_CODES.busy)
    // Nothing recorded: the group holds the held answers' questions and answers only; the provider was asked for those.
    await expect.poll(async () => (await fakeLlm.requests(userId)).length).toBe(CAPACITY)
    const sync = await StreamWitness.join(session, A)
    expect(sync.itemFrames.filter(({ item }) => item.content === 'one too many')).toEqual([])
    expect(sync.itemFrames.filter(({ via }) => via === 'sync')).toHaveLength(2 * CAPACITY)
    sync.close()
    expect(await fakeLlm.requests(userId)).toHaveLength(CAPACITY)

    // Once the first answer ended, its slot is free again (a 503 records nothing, so asking again is harmless).
    await witness.finished(held[0]!.traceId, 40_000)
    await fakeLlm.script({ userId, provider: 'openai', reply: 'room again' })
    await expect.poll(async () => (await instance.postChat({ message: 'room again?' })).status(), { timeout: 2_000 }).toBe(202)
    for (const { traceId } of held) expect((await witness.finished(traceId, 30_000)).event.type).toBe('complete')
  } finally {
    witness.close()
  }
})
