import { expect, test } from '@playwright/test'
import { busyWaitSeconds, countDown, retryAfterSeconds } from '../../packages/chat-client/src/busy-wait'
import { manualClock } from './support/manual-clock'

test("a busy backend's Retry-After: its seconds, 5 s when it is missing or not seconds, at most 60 s", () => {
  const wait = (header: string | null) => busyWaitSeconds(retryAfterSeconds(header))
  expect(wait('7')).toBe(7)
  expect(wait(' 12 ')).toBe(12)
  expect(wait('0')).toBe(0)
  expect(wait(null)).toBe(5)
  expect(wait('')).toBe(5)
  expect(wait('soon')).toBe(5)
  expect(wait('-3')).toBe(5)
  expect(wait('2.5')).toBe(5)
  expect(wait('Wed, 21 Oct 2026 07:28:00 GMT')).toBe(5)
  expect(wait('3600')).toBe(60)
})

test('the countdown tells each second left, 0 last, and leaves no timer behind', () => {
  const clock = manualClock()
  const heard: number[] = []
  countDown(3, clock.schedule, () => clock.now, (left) => heard.push(left))
  expect(clock.waiting()).toEqual([1000])
  clock.advance(3000)
  expect(heard).toEqual([2, 1, 0])
  expect(clock.pending).toBe(0)
})

test('a countdown whose timer fires late (a throttled tab, a clock moved on) skips to the second left then', () => {
  let now = 0
  const asked: { run: () => void; ms: number }[] = []
  const schedule = (run: () => void, ms: number) => {
    asked.push({ run, ms })
    return () => undefined
  }
  const heard: number[] = []
  countDown(5, schedule, () => now, (left) => heard.push(left))
  now = 3_500
  asked.shift()!.run()
  expect(heard).toEqual([2])
  // The next step is due when 1 s is left, at 4 000.
  expect(asked.map(({ ms }) => ms)).toEqual([500])
})
