import { expect } from '@playwright/test'

/**
 * A clock the test drives: code given its `schedule` asks to run something after some milliseconds, and it runs when
 * the test says so — never on its own — so the delays asked for can be checked exactly, on a loaded machine too.
 */
export const manualClock = () => {
  const waits: { ms: number; run: () => void }[] = []
  return {
    schedule(run: () => void, ms: number): () => void {
      const wait = { ms, run }
      waits.push(wait)
      return () => void waits.splice(waits.indexOf(wait), 1)
    },
    /** What is waiting now. */
    get pending(): number {
      return waits.length
    },
    /** Waits until exactly one thing is scheduled, runs it, and returns the delay it asked for. */
    async runNext(): Promise<number> {
      await expect.poll(() => waits.length).toBe(1)
      const next = waits.shift()!
      next.run()
      return next.ms
    },
  }
}
