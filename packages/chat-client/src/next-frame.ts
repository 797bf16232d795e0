import { monotonicNow, type Now, type Schedule } from './schedule'

/** Runs `run` once, at the next frame the page paints; returns its cancel. */
export type FrameSchedule = (run: () => void) => () => void

/**
 * The least time (ms) between two hand-overs of the state to the UI: every other frame at 60 Hz, every frame at
 * 30 Hz. A fast answer (a token every 5 ms) repaints about 30 times a second, not 60: each repaint of a growing
 * answer costs the main thread a few ms of layout and paint whatever number of tokens it shows, and painting at every
 * frame kept it over a quarter busy. A change after a quiet moment still shows at the next frame.
 */
export const MIN_HAND_OVER_GAP_MS = 25

/**
 * The next animation frame at least `gapMs` after the last run (frames in between are let go by) while the page is
 * visible; otherwise (a hidden tab, whose frames stop, or no DOM at all) a turn of `schedule` at least `gapMs` after
 * the last run, so the state still moves on where nothing is painted.
 */
export const nextFrame = (schedule: Schedule, now: Now = monotonicNow, gapMs = MIN_HAND_OVER_GAP_MS): FrameSchedule => {
  let lastRun = -Infinity
  return (run) => {
    let cancel: () => void
    const go = () => {
      lastRun = now()
      run()
    }
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
      const onFrame = () => {
        if (now() - lastRun >= gapMs) return go()
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
