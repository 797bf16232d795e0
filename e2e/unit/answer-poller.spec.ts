import type { ChatMessage } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { pollAnswer } from '../../packages/chat-client/src/answer-poller'

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
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

test('polls until complete and not once more', async () => {
  const answers = [item(''), item('a'), item('a b'), item('a b c', 'complete')]
  let calls = 0
  const seen: string[] = []
  pollAnswer({ traceId: 'T', intervalMs: 10, fetchItem: async () => answers[Math.min(calls++, answers.length - 1)]!, onItem: (i) => seen.push(i.content), onHealth: () => undefined })
  await expect.poll(() => seen.at(-1)).toBe('a b c')
  await sleep(100)
  expect(calls).toBe(4)
})

test('backs off while nothing changes and on errors, and reports health', async () => {
  const at: number[] = []
  const health: boolean[] = []
  const start = Date.now()
  const stop = pollAnswer({
    traceId: 'T',
    intervalMs: 20,
    fetchItem: async () => {
      at.push(Date.now() - start)
      if (at.length >= 4 && at.length <= 6) throw new Error('down')
      return item('same')
    },
    onItem: () => undefined,
    onHealth: (ok) => health.push(ok),
  })
  await sleep(900)
  stop()
  const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0))
  // Unchanged: 20 → 30 → 45…; errors double it.
  expect(gaps[2]!).toBeGreaterThan(gaps[0]! * 1.5)
  expect(gaps[4]!).toBeGreaterThan(gaps[3]! * 1.6)
  expect(health).toContain(false)
  expect(health.at(-1)).toBe(true)
  const calls = at.length
  await sleep(300)
  expect(at.length).toBe(calls)
})
