import type { Now, Schedule } from './schedule'

/**
 * A timeout that is pushed back far more often than it fires (at every token of an answer), at the cost of a
 * number: the one timer it keeps armed checks, when it fires, whether the deadline moved meanwhile, and waits out
 * the rest. Re-arming a timer per token cost a `clearTimeout` and a `setTimeout` each, about a tenth of the page's
 * main-thread time while a fast answer streamed.
 */
export class Deadline {
  private dueAt = 0
  /** When the armed timer fires, and its cancel; null when none is armed. */
  private timer: { firesAt: number; cancel: () => void } | null = null

  constructor(
    private readonly schedule: Schedule,
    private readonly now: Now,
    private readonly onExpired: () => void,
  ) {}

  get isSet(): boolean {
    return this.timer !== null
  }

  /** Expires `ms` from now, whenever it was set to expire before. */
  set(ms: number): void {
    this.dueAt = this.now() + ms
    // A later deadline is left to the armed timer; only an earlier one needs a timer of its own.
    if (this.timer && this.timer.firesAt <= this.dueAt) return
    this.arm(ms)
  }

  clear(): void {
    this.timer?.cancel()
    this.timer = null
  }

  private arm(ms: number): void {
    this.timer?.cancel()
    this.timer = { firesAt: this.now() + ms, cancel: this.schedule(() => this.fire(), ms) }
  }

  private fire(): void {
    this.timer = null
    const left = this.dueAt - this.now()
    if (left > 0) this.arm(left)
    else this.onExpired()
  }
}
