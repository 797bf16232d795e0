/** How long a request waits on Redis before it answers `503 unavailable` (a hung Redis; a dead one fails at once). */
export const REDIS_REQUEST_DEADLINE_MS = 2_000

export class RedisDeadlineError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`)
    this.name = 'RedisDeadlineError'
  }
}

/**
 * One request's deadline on its Redis work. `bound(work, undo)` races the work against the deadline; once the
 * deadline has passed, every bound work rejects with RedisDeadlineError, and the work it lost to is not forgotten:
 * its `undo` runs if it completes later (Redis answering again), so a request told 503 leaves nothing half-written.
 */
export class RequestDeadline {
  private readonly expired: Promise<never>
  private timer: NodeJS.Timeout | undefined
  passed = false

  constructor(private readonly ms: number = REDIS_REQUEST_DEADLINE_MS) {
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => {
        this.passed = true
        reject(new RedisDeadlineError(ms))
      }, ms)
    })
    this.expired.catch(() => undefined)
  }

  async bound<T>(work: Promise<T>, undo?: (value: T) => Promise<unknown> | unknown): Promise<T> {
    // Already past: refused without waiting, but the work was sent (the caller started it), so it is undone if it lands.
    if (this.passed) {
      if (undo) void work.then(undo).catch(() => undefined)
      throw new RedisDeadlineError(this.ms)
    }
    try {
      return await Promise.race([work, this.expired])
    } catch (error) {
      if (this.passed && undo) void work.then(undo).catch(() => undefined)
      throw error
    }
  }

  /** The request is answered: the deadline no longer runs. */
  done(): void {
    clearTimeout(this.timer)
  }
}
