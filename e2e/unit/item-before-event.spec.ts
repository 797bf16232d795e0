import { expect, test } from '@playwright/test'
import { publishAfterWrite } from '../../apps/backend/lib/item-before-event'
import { onManualGlobalClock, settle } from './support/global-clock'

// A failed answer's ending (lib/run-answer.ts): its item is written before its `error` event goes out, but the event
// waits for the item at most its bound. On a manual clock: every wait is checked at its number.

/** A write the test settles, and what happened in which order. */
const scene = () => {
  const order: string[] = []
  let settleWrite!: (ok: boolean) => void
  const write = new Promise<void>((resolve, reject) => (settleWrite = (ok) => (ok ? resolve() : reject(new Error('Redis is away'))))).then(
    () => void order.push('item written'),
    (error: unknown) => {
      order.push('item failed')
      throw error
    },
  )
  const publish = async () => void order.push('event published')
  return { order, write, publish, settleWrite }
}

test('the item is written first, then the event: a read after the event finds the answer ended', () =>
  onManualGlobalClock(async (clock) => {
    const { order, write, publish, settleWrite } = scene()
    const ended = publishAfterWrite(write, publish, 250)
    await clock.advance(10)
    expect(order).toEqual([])
    settleWrite(true)
    await ended
    expect(order).toEqual(['item written', 'event published'])
    expect(clock.pending).toBe(0)
  }))

test('a write that hangs holds the event 250 ms, no longer; the item follows when Redis answers', () =>
  onManualGlobalClock(async (clock) => {
    const { order, write, publish, settleWrite } = scene()
    let done = false
    const ended = publishAfterWrite(write, publish, 250).then(() => (done = true))
    await clock.advance(249)
    expect(order).toEqual([])
    await clock.advance(1)
    expect(order).toEqual(['event published'])
    expect(done).toBe(false)
    settleWrite(true)
    await ended
    expect(order).toEqual(['event published', 'item written'])
  }))

test('a write that fails lets the event go at once, and its failure is thrown after it', () =>
  onManualGlobalClock(async () => {
    const { order, write, publish, settleWrite } = scene()
    const ended = expect(publishAfterWrite(write, publish, 250)).rejects.toThrow('Redis is away')
    settleWrite(false)
    await settle()
    await ended
    expect(order).toEqual(['item failed', 'event published'])
  }))
