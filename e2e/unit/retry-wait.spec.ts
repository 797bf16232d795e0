import { expect, test } from '@playwright/test'
import { ERROR_CODES } from '@chat/protocol'
import { countDown, retryAfterSeconds, waitSeconds } from '../../packages/chat-client/src/retry-wait'
import { waitDurationText } from '../../packages/chat-client/src/notice-text'
import { manualClock } from './support/manual-clock'

test("a busy backend's Retry-After: its seconds, 5 s when it is missing or not seconds, at most 60 s", () => {
  const wait = (header: string | null) => waitSeconds(ERROR_CODES.busy, retryAfterSeconds(header))
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

test("a limit's Retry-After (429): held for all of it, a day at most (the budget renews daily); 5 s when missing", () => {
  for (const code of [ERROR_CODES.rateLimited, ERROR_CODES.tooManyInFlight, ERROR_CODES.budgetExhausted, ERROR_CODES.tooManySessions]) {
    const wait = (header: string | null) => waitSeconds(code, retryAfterSeconds(header))
    expect(wait('4'), code).toBe(4)
    expect(wait('3600'), code).toBe(3600)
    expect(wait('86400'), code).toBe(86_400)
    expect(wait('200000'), code).toBe(86_400)
    expect(wait(null), code).toBe(5)
  }
})

test('an error of no limit asks for no wait, whatever its Retry-After', () => {
  expect(waitSeconds('all_providers_failed', 30)).toBe(0)
  expect(waitSeconds(ERROR_CODES.unavailable, 30)).toBe(0)
  expect(waitSeconds('http_error', null)).toBe(0)
})

test('a wait in words: seconds under a minute, then minutes, then hours and minutes, never less than is left', () => {
  const shown = (seconds: number) => waitDurationText(seconds)
  expect(shown(1)).toBe('1 s')
  expect(shown(59)).toBe('59 s')
  expect(shown(60)).toBe('1 min')
  expect(shown(61)).toBe('2 min')
  expect(shown(90)).toBe('2 min')
  expect(shown(59 * 60)).toBe('59 min')
  expect(shown(59 * 60 + 1)).toBe('1 h')
  expect(shown(3600)).toBe('1 h')
  expect(shown(3601)).toBe('1 h 1 min')
  expect(shown(5 * 3600 + 12 * 60)).toBe('5 h 12 min')
  expect(shown(5 * 3600 + 11 * 60 + 1)).toBe('5 h 12 min')
  expect(shown(86_400)).toBe('24 h')
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
