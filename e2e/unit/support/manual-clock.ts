import { expect } from '@playwright/test'

interface Wait {
  /** When it is due, on the clock's own time. */
  at: number
  /** The delay it asked for. */
  ms: number
  run: () => void
}

/**
 * A clock the test drives: code given its `schedule` asks to run something after some milliseconds, and it runs when
 * the test moves the clock on — never on its own — so the delays asked for can be checked exactly, on a loaded machine
 * too. Its time starts at 0 and moves only by `advance` and `runNext`.
 */
export const manualClock = () => {
  let now = 0
  let order = 0
  const waits = new Map<number, Wait>()
  const due = () => [...waits].sort(([a, x], [b, y]) => x.at - y.at || a - b)
  return {
    schedule(run: () => void, ms: number): () => void {
      const id = order++
      waits.set(id, { at: now + ms, ms, run })
      return () => void waits.delete(id)
    },
    get now(): number {
      return now
    },
    /** How many waits were asked for so far, run, cancelled or still waiting. */
    get asked(): number {
      return order
    },
    /** How many things are waiting now. */
    get pending(): number {
      return waits.size
    },
    /** The delays asked for by what is waiting now, the soonest due first. */
    waiting(): number[] {
      return due().map(([, wait]) => wait.ms)
    },
    /** Moves the time on by `ms`, running in order everything that falls due meanwhile (what those schedule too). */
    advance(ms: number): void {
      const until = now + ms
      for (let next = due()[0]; next && next[1].at <= until; next = due()[0]) {
        waits.delete(next[0])
        now = next[1].at
        next[1].run()
      }
      now = until
    },
    /** Waits until exactly one thing is scheduled, runs it (moving the time to it), and returns the delay it asked for. */
    async runNext(): Promise<number> {
      await expect.poll(() => waits.size).toBe(1)
      const [id, next] = due()[0]!
      waits.delete(id)
      now = next.at
      next.run()
      return next.ms
    },
  }
}

export type ManualClock = ReturnType<typeof manualClock>
