import type { ChatMessage } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { pollAnswer } from '../../packages/chat-client/src/answer-poller'
import { manualClock } from './support/manual-clock'

const item = (content: string, status: ChatMessage['status'] = 'streaming'): ChatMessage => ({
  id: 'T',
  userId: 'u',
  role: 'assistant',
  content,
  status,
  provider: 'openai',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
})
test('polls until complete and not once more', async () => {
  const clock = manualClock()
  const answers = [item(''), item('a'), item('a b'), item('a b c', 'complete')]
  let calls = 0
  const seen: string[] = []
  pollAnswer({
    traceId: 'T',
    intervalMs: 10,
    fetchItem: async () => answers[Math.min(calls++, answers.length - 1)]!,
    onItem: (i) => seen.push(i.content),
    onHealth: () => undefined,
    schedule: clock.schedule,
  })
  for (let i = 0; i < 3; i++) await clock.runNext()
  await expect.poll(() => seen.at(-1)).toBe('a b c')
  expect(clock.pending).toBe(0)
  expect(calls).toBe(4)
})

test('backs off while nothing changes and on errors, and reports health', async () => {
  const clock = manualClock()
  let calls = 0
  const health: boolean[] = []
  const stop = pollAnswer({
    traceId: 'T',
    intervalMs: 20,
    fetchItem: async () => {
      calls += 1
      if (calls >= 4 && calls <= 6) throw new Error('down')
      return item('same')
    },
    onItem: () => undefined,
    onHealth: (ok) => health.push(ok),
    schedule: clock.schedule,
  })
  const asked: number[] = []
  while (asked.length < 7) asked.push(await clock.runNext())
  // The seventh run made the eighth call; its next wait is scheduled once it answered.
  await expect.poll(() => clock.pending).toBe(1)
  // Unchanged: ×1.5 from the base; each error doubles it; a success after errors keeps backing off while unchanged.
  expect(asked).toEqual([20, 30, 45, 90, 180, 360, 540])
  expect(health).toEqual([true, true, true, false, false, false, true, true])
  expect(calls).toBe(8)
  stop()
  expect(clock.pending).toBe(0)
})
