import { postChatMessage } from '@chat/client'
import { ERROR_CODES } from '@chat/protocol'
import { limitSettings } from '../../apps/backend/lib/limits/limit-settings'
import { answersPerInstance } from '../../apps/backend/lib/motia/event-concurrency'
import { BUSY_RETRY_AFTER_SECONDS } from '../../apps/backend/lib/http/error-response'
import { newSession } from '../../fixtures/backend/sessions'
import { StreamWitness } from '../../fixtures/backend/stream-witness'
import { numberedReply } from '../../fixtures/replies'
import { backendInstanceUrls } from '../../fixtures/stack/urls'
import { expect, test } from '../../fixtures/test'

// Fills one instance to its bound: nothing else may run beside it (the faults project runs one test at a time).
test.describe.configure({ mode: 'serial' })

const [A] = backendInstanceUrls()
const CAPACITY = answersPerInstance(process.env)
// Each user streams as many answers as one user may at once: enough users to fill the instance.
const PER_USER = limitSettings(process.env).answersInFlight

test(`an instance streaming its ${CAPACITY} answers: the next POST gets 503 busy with Retry-After, nothing recorded, no provider asked; a slot frees when an answer ends`, async ({
  backend,
  fakeLlm,
  session,
  userId,
}) => {
  const instance = backend.at(A!)
  const users = await Promise.all(Array.from({ length: Math.ceil(CAPACITY / PER_USER) }, () => newSession()))
  const witnesses = await Promise.all(users.map((user) => StreamWitness.join(user, A)))
  try {
    // Each answer streams for 20 s (a token a second, within the provider idle timeout): longer than the POSTs take.
    const slow = numberedReply(20)
    const asks = Array.from({ length: CAPACITY }, (_, i) => ({ i, user: users[Math.floor(i / PER_USER)]!, witness: witnesses[Math.floor(i / PER_USER)]! }))
    await Promise.all(asks.map(({ user }) => fakeLlm.script({ userId: user.userId, provider: 'openai', reply: slow, tokenDelayMs: 1_000 })))
    // The apps' own POST (fetch): Playwright's request context sends a burst this size over about 20 s.
    const held = await Promise.all(asks.map(({ i, user }) => postChatMessage(A!, user.token, { message: `held ${i}` })))

    // Asked by a user within every limit of their own: only the instance's bound refuses it.
    const refused = await instance.postChat({ message: 'one too many' })
    expect(refused.status()).toBe(503)
    expect(refused.headers()['retry-after']).toBe(String(BUSY_RETRY_AFTER_SECONDS))
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(ERROR_CODES.busy)
    // Nothing recorded: the user's group is empty, and the provider was not asked.
    const sync = await StreamWitness.join(session, A)
    expect(sync.itemFrames).toEqual([])
    sync.close()
    expect(await fakeLlm.requests(userId)).toHaveLength(0)
    await expect.poll(async () => (await Promise.all(users.map(async (user) => (await fakeLlm.requests(user.userId)).length))).reduce((a, b) => a + b)).toBe(CAPACITY)

    // Once the first answer ended, its slot is free again (a 503 records nothing, so asking again is harmless).
    await asks[0]!.witness.finished(held[0]!.traceId, 40_000)
    await fakeLlm.script({ userId, provider: 'openai', reply: 'room again' })
    await expect.poll(async () => (await instance.postChat({ message: 'room again?' })).status(), { timeout: 2_000 }).toBe(202)
    for (const [i, { traceId }] of held.entries()) expect((await asks[i]!.witness.finished(traceId, 30_000)).event.type).toBe('complete')
  } finally {
    for (const witness of witnesses) witness.close()
    await Promise.all(users.map((user) => fakeLlm.clear(user.userId)))
  }
})
