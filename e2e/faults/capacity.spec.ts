import { ERROR_CODES } from '@chat/protocol'
import { answersPerInstance } from '../../apps/backend/lib/motia/event-concurrency'
import { BUSY_RETRY_AFTER_SECONDS } from '../../apps/backend/lib/http/error-response'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
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
    await Promise.all(Array.from({ length: CAPACITY }, () => fakeLlm.script({ userId, provider: 'openai', reply: 'held', gated: true })))
    const held = await Promise.all(Array.from({ length: CAPACITY }, (_, i) => instance.startAnswer(`held ${i}`)))

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

    // One answer ends: its slot is free again.
    await fakeLlm.release(userId)
    await witness.finished(held[0]!.traceId)
    await fakeLlm.script({ userId, provider: 'openai', reply: 'room again' })
    await expect.poll(async () => (await instance.postChat({ message: 'room again?' })).status(), { timeout: 15_000 }).toBe(202)
    await Promise.all(held.map(({ traceId }) => witness.finished(traceId, 30_000)))
  } finally {
    witness.close()
  }
})
