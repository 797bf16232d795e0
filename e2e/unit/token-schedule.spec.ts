import { expect, test } from '@playwright/test'
import { TokenSchedule } from '../../fixtures/fake-llm/src/token-schedule'

/**
 * Runs a schedule on a clock the test moves: each token's timer fires `lateMs(i)` after the wait it asked for, then
 * the token waits `creditMs(i)` for a gate credit (none when 0).
 */
const run = (tokens: number, pace: { firstTokenMs: number; tokenDelayMs: number }, lateMs: (i: number) => number, creditMs = (_i: number) => 0) => {
  let now = 0
  const schedule = new TokenSchedule(pace, () => now)
  const sentAt: number[] = []
  for (let i = 0; i < tokens; i++) {
    now += schedule.wait() + lateMs(i)
    if (creditMs(i) > 0) {
      now += creditMs(i)
      schedule.credited()
    }
    schedule.sent()
    sentAt.push(now)
  }
  return sentAt
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!)

test('the fake keeps its pace on a busy machine: 1,000 tokens 5 ms apart, each timer 3 ms late, end at 5 s, not 8', () => {
  const sentAt = run(1000, { firstTokenMs: 50, tokenDelayMs: 5 }, () => 3)
  expect(sentAt[0]).toBe(53)
  expect(sentAt.at(-1)).toBe(50 + 999 * 5 + 3)
})

test('the fake catches up after a stall: the late token and at most three more at once, then its pace again', () => {
  // The timer of token 10 fires 100 ms late (a stalled process); the others on time.
  const sentAt = run(60, { firstTokenMs: 0, tokenDelayMs: 10 }, (i) => (i === 10 ? 100 : 0))
  expect(sentAt.slice(9, 16)).toEqual([90, 200, 200, 200, 200, 210, 220])
  expect(gaps(sentAt.slice(13)).every((gap) => gap === 10)).toBe(true)
})

test('a token that waited for a gate credit restarts the schedule: the tokens after it keep the pace, no catch-up', () => {
  const sentAt = run(10, { firstTokenMs: 0, tokenDelayMs: 20 }, () => 0, (i) => (i === 5 ? 1_000 : 0))
  expect(sentAt).toEqual([0, 20, 40, 60, 80, 1100, 1120, 1140, 1160, 1180])
})
