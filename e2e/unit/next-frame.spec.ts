import { expect, test } from '@playwright/test'
import { MIN_HAND_OVER_GAP_MS, nextFrame } from '../../packages/chat-client/src/next-frame'
import { manualClock } from './support/manual-clock'

const FRAME_MS = 1000 / 60

/** A visible page's animation frames at 60 Hz on `clock`: `requestAnimationFrame` and `document` stood in for. */
const framesOn = (clock: ReturnType<typeof manualClock>) => {
  const callbacks = new Map<number, () => void>()
  let ids = 0
  const globals = globalThis as Record<string, unknown>
  const saved = { requestAnimationFrame: globals.requestAnimationFrame, cancelAnimationFrame: globals.cancelAnimationFrame, document: globals.document }
  globals.requestAnimationFrame = (run: () => void) => (callbacks.set(++ids, run), ids)
  globals.cancelAnimationFrame = (id: number) => callbacks.delete(id)
  globals.document = { visibilityState: 'visible' }
  return {
    /** Moves the clock to the next frame and runs the callbacks asked for before it. */
    frame() {
      clock.advance(FRAME_MS)
      const due = [...callbacks.values()]
      callbacks.clear()
      for (const run of due) run()
    },
    restore: () => Object.assign(globals, saved),
  }
}

/** What the controller does: each change asks for a hand-over unless one is asked for already, counting what waits. */
const controllerOn = (frame: ReturnType<typeof nextFrame>, clock: ReturnType<typeof manualClock>) => {
  const ran: number[] = []
  let waiting = 0
  const change = () => {
    waiting += 1
    if (waiting > 1) return
    frame(
      () => {
        waiting = 0
        ran.push(Math.round(clock.now))
      },
      () => waiting,
    )
  }
  return { ran, change }
}

test('hand-overs at 60 Hz come every other frame while several changes come per frame, and at the next frame after a quiet moment', () => {
  const clock = manualClock()
  const frames = framesOn(clock)
  try {
    const { ran, change } = controllerOn(nextFrame(clock.schedule, () => clock.now), clock)
    change()
    frames.frame()
    expect(ran, 'the first change shows at the next frame').toEqual([17])
    // Three changes before every frame from now on (tokens 5 ms apart): every other frame takes them.
    for (let i = 0; i < 6; i++) {
      for (let k = 0; k < 3; k++) change()
      frames.frame()
    }
    expect(ran).toEqual([17, 50, 83, 117])
    for (let i = 0; i < 3; i++) frames.frame()
    change()
    frames.frame()
    expect(ran.at(-1), 'after a quiet moment, the next frame').toBe(Math.round(clock.now))
  } finally {
    frames.restore()
  }
})

test('a change per frame or fewer (tokens slower than frames): each shows at the next frame, none waits a frame more', () => {
  const clock = manualClock()
  const frames = framesOn(clock)
  try {
    const { ran, change } = controllerOn(nextFrame(clock.schedule, () => clock.now), clock)
    for (let i = 0; i < 4; i++) {
      change()
      frames.frame()
    }
    expect(ran).toEqual([17, 33, 50, 67])
  } finally {
    frames.restore()
  }
})

test(`where nothing is painted (a hidden tab, no DOM) hand-overs come ${MIN_HAND_OVER_GAP_MS} ms apart at most, the first at once`, () => {
  const clock = manualClock()
  const frame = nextFrame(clock.schedule, () => clock.now)
  const ran: number[] = []
  frame(() => ran.push(clock.now))
  expect(clock.waiting()).toEqual([0])
  clock.advance(0)
  frame(() => ran.push(clock.now))
  expect(clock.waiting()).toEqual([MIN_HAND_OVER_GAP_MS])
  clock.advance(MIN_HAND_OVER_GAP_MS)
  expect(ran).toEqual([0, MIN_HAND_OVER_GAP_MS])
  clock.advance(100)
  const cancel = frame(() => ran.push(clock.now))
  expect(clock.waiting()).toEqual([0])
  cancel()
  clock.advance(100)
  expect(ran, 'a cancelled hand-over never runs').toEqual([0, MIN_HAND_OVER_GAP_MS])
})
