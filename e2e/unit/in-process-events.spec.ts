import { expect, test } from '@playwright/test'
import { InProcessEvents } from '../../apps/backend/lib/motia/in-process-events'

/** A subscription whose handlers run until the test ends each of them. */
const heldSubscription = async (events: InProcessEvents, concurrency: number) => {
  const started: number[] = []
  const finish = new Map<number, () => void>()
  await events.subscribe<{ n: number }>(
    'answer.requested',
    'GenerateAnswer',
    ({ data }) =>
      new Promise<void>((resolve) => {
        started.push(data.n)
        finish.set(data.n, resolve)
      }),
    { type: 'standard', maxRetries: 0, visibilityTimeout: 75, delaySeconds: 0, concurrency },
  )
  return { started, finish: (n: number) => finish.get(n)!() }
}

const emit = (events: InProcessEvents, n: number) => events.emit({ topic: 'answer.requested', data: { n }, traceId: `trace-${n}` })

test('events emitted at once run at most the queue concurrency of handlers at a time; the next starts when one ends', async () => {
  const events = new InProcessEvents()
  const handlers = await heldSubscription(events, 2)
  for (const n of [1, 2, 3]) await emit(events, n)

  await expect.poll(() => handlers.started).toEqual([1, 2])
  handlers.finish(1)
  await expect.poll(() => handlers.started).toEqual([1, 2, 3])
})
