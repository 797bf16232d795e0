/**
 * For code that takes no clock of its own (it calls `setTimeout` and `Date.now` directly): while `run` runs, the
 * process's `setTimeout`, `clearTimeout` and `Date.now` are a manual clock the test moves — timers fire only on
 * `advance`, in the order they are due, and `Date.now()` reads the clock's time — and they are given back however
 * `run` ends. `setImmediate` stays real: `settle()` lets promises that a timer settled run on.
 *
 * Only for code under test that is driven synchronously by the test and its awaits: nothing else of the worker may
 * need a timer meanwhile (`expect.poll` and Playwright's own waits do), so specs call neither inside `run`.
 */
export const onManualGlobalClock = async <T>(run: (clock: GlobalClock) => Promise<T>, startAt = 1_000_000): Promise<T> => {
  let now = startAt
  let nextId = 1
  const timers = new Map<number, { at: number; callback: () => void }>()
  const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, now: Date.now }
  const handle = (id: number) => ({ id, ref: () => handle(id), unref: () => handle(id), hasRef: () => false, [Symbol.toPrimitive]: () => id })
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) => {
    const id = nextId++
    timers.set(id, { at: now + Math.max(0, Number(ms) || 0), callback: () => callback(...args) })
    return handle(id)
  }) as unknown as typeof setTimeout
  globalThis.clearTimeout = ((timer: unknown) => {
    if (timer !== undefined && timer !== null) timers.delete(Number(timer))
  }) as typeof clearTimeout
  Date.now = () => now
  const clock: GlobalClock = {
    get now() {
      return now
    },
    get pending() {
      return timers.size
    },
    async advance(ms: number) {
      const until = now + ms
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].callback()
        await settle()
      }
      now = until
      await settle()
    },
  }
  try {
    return await run(clock)
  } finally {
    globalThis.setTimeout = real.setTimeout
    globalThis.clearTimeout = real.clearTimeout
    Date.now = real.now
  }
}

export interface GlobalClock {
  readonly now: number
  /** Timers waiting. */
  readonly pending: number
  /** Moves the clock on by `ms`, firing every timer due on the way (each followed by `settle()`). */
  advance(ms: number): Promise<void>
}

/** Lets every promise settled so far run its continuations (a few turns of the event loop, no time passing). */
export const settle = async (turns = 5): Promise<void> => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
}
