import { expect, test } from '@playwright/test'
import { Deadline } from '../../packages/chat-client/src/deadline'
import { manualClock } from './support/manual-clock'

const deadlineOn = (clock = manualClock()) => {
  const expiries: number[] = []
  const deadline = new Deadline(clock.schedule, () => clock.now, () => expiries.push(clock.now))
  return { clock, deadline, expiries }
}

test('a deadline pushed back at every token expires its full time after the last push, on one timer', () => {
  const { clock, deadline, expiries } = deadlineOn()
  deadline.set(3000)
  for (let token = 0; token < 100; token++) {
    clock.advance(25)
    deadline.set(3000)
    expect(clock.pending, 'one timer armed, however often it is pushed back').toBe(1)
  }
  clock.advance(2999)
  expect(expiries).toEqual([])
  clock.advance(1)
  expect(expiries).toEqual([2500 + 3000])
  expect(clock.pending).toBe(0)
})

test('a deadline brought forward expires at the earlier time, once', () => {
  const { clock, deadline, expiries } = deadlineOn()
  deadline.set(3000)
  clock.advance(500)
  deadline.set(1000)
  clock.advance(5000)
  expect(expiries).toEqual([1500])
})

test('a cleared deadline never expires, and can be set again', () => {
  const { clock, deadline, expiries } = deadlineOn()
  deadline.set(1000)
  clock.advance(400)
  deadline.clear()
  expect(deadline.isSet).toBe(false)
  clock.advance(5000)
  expect(expiries).toEqual([])
  deadline.set(1000)
  clock.advance(1000)
  expect(expiries).toEqual([6400])
})
