/**
 * A Redis that keeps its connection open but does not answer (paused, swapping, stuck behind a slow command) looks
 * ready to the client, and every command waits for it without bound. The liveness probe PINGs every
 * PROBE_EVERY_MS; an answer outstanding longer than REDIS_ANSWER_BOUND_MS marks Redis hung until one comes.
 */
export const REDIS_ANSWER_BOUND_MS = 1_000
const PROBE_EVERY_MS = 250

export interface Pingable {
  readonly isReady: boolean
  ping(): Promise<unknown>
}

export class RedisLiveness {
  private probeSentAt: number | null = null
  private hung = false

  constructor(
    private readonly client: Pingable,
    private readonly events: { hung(): void; answering(): void },
    private readonly now: () => number = Date.now,
  ) {}

  /** Probes on a timer that never keeps the process alive; returns its stop. */
  start(): () => void {
    const timer = setInterval(() => this.tick(), PROBE_EVERY_MS)
    timer.unref()
    return () => clearInterval(timer)
  }

  /** One probe step: sends a PING when none is out, or judges the one out. */
  tick(): void {
    // A closed connection is the client's to tell (isReady); its PING fails at once.
    if (!this.client.isReady) return
    if (this.probeSentAt === null) {
      this.probeSentAt = this.now()
      this.client.ping().then(
        () => {
          this.probeSentAt = null
          if (!this.hung) return
          this.hung = false
          this.events.answering()
        },
        () => {
          this.probeSentAt = null
        },
      )
      return
    }
    if (!this.hung && this.now() - this.probeSentAt > REDIS_ANSWER_BOUND_MS) {
      this.hung = true
      this.events.hung()
    }
  }

  /** Connected, and answering within the bound. */
  get answering(): boolean {
    return this.client.isReady && !this.hung
  }
}
