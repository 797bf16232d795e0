import { monotonicNow, type Now, type Schedule } from './schedule'

/**
 * Runs `run` once, at the next frame the page paints; returns its cancel. `waiting` tells how many changes the run
 * will hand over (default: many).
 */
export type FrameSchedule = (run: () => void, waiting?: () => number) => () => void

/**
 * The least time (ms) between two hand-overs of the state to the UI while changes come faster than frames: every
 * other frame at 60 Hz, every frame at 30 Hz. A fast answer (a token every 5 ms) repaints about 30 times a second, not
 * 60: each repaint of a growing answer costs the main thread a few ms of layout and paint whatever number of tokens
 * it shows, and painting at every frame kept it over a quarter busy. A lone change (tokens slower than frames, or the
 * first after a quiet moment) shows at the next frame.
 */
export const MIN_HAND_OVER_GAP_MS = 25

/**
 * The next animation frame while the page is visible — at least `gapMs` after the last run when more than one change
 * waits (frames in between are let go by); otherwise (a hidden tab, whose frames stop, or no DOM at all) a turn of
 * `schedule` at least `gapMs` after the last run, so the state still moves on where nothing is painted.
 */
export const nextFrame = (schedule: Schedule, now: Now = monotonicNow, gapMs = MIN_HAND_OVER_GAP_MS): FrameSchedule => {
  let lastRun = -Infinity
  return (run, waiting = () => Number.POSITIVE_INFINITY) => {
    let cancel: () => void
    const go = () => {
      lastRun = now()
      run()
    }
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
      const onFrame = () => {
        if (waiting() <= 1 || now() - lastRun >= gapMs) return go()
        const id = requestAnimationFrame(onFrame)
        cancel = () => cancelAnimationFrame(id)
      }
      const id = requestAnimationFrame(onFrame)
      cancel = () => cancelAnimationFrame(id)
    } else {
      cancel = schedule(go, Math.max(0, lastRun + gapMs - now()))
    }
    return () => cancel()
  }
}
