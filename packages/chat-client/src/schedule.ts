/** Runs `run` after `ms` and returns its cancel: timers the client takes as a dependency, so specs can drive them. */
export type Schedule = (run: () => void, ms: number) => () => void

export const afterTimeout: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms)
  return () => clearTimeout(timer)
}
