/** Runs `run` after `ms` and returns its cancel: timers the client takes as a dependency, so specs can drive them. */
export type Schedule = (run: () => void, ms: number) => () => void

export const afterTimeout: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms)
  return () => clearTimeout(timer)
}

/** The time (ms) a `Schedule` runs on; specs that pass a manual clock's schedule pass its time too. */
export type Now = () => number

export const monotonicNow: Now = () => performance.now()
