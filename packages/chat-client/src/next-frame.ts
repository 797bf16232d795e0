import type { Schedule } from './schedule'

/** Runs `run` once, at the next frame the page paints; returns its cancel. */
export type FrameSchedule = (run: () => void) => () => void

/**
 * The next animation frame while the page is visible; otherwise (a hidden tab, whose frames stop, or no DOM at all)
 * the next turn of `schedule`, so the state still moves on where nothing is painted.
 */
export const nextFrame =
  (schedule: Schedule): FrameSchedule =>
  (run) => {
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
      const id = requestAnimationFrame(() => run())
      return () => cancelAnimationFrame(id)
    }
    return schedule(run, 0)
  }
