import { afterTimeout, type Schedule } from './schedule'
import type { ViewMessage } from './types'
import { revealStep } from './word-reveal'

/** The pace of a reveal: one step every this many milliseconds. */
export const REVEAL_STEP_MS = 30

type Target = Pick<ViewMessage, 'content' | 'status'>

/**
 * Shows answers whose text arrives in chunks (a poll, an item update after a reconnect or a reload) growing word by
 * word at a steady pace instead of in jumps. Only the view lags: the model keeps the exact text. An answer is
 * followed until its shown text catches up, or until its tokens stream live again: from then on each one shows as
 * it comes, not at the reveal's pace.
 */
export class TextReveal {
  private readonly shown = new Map<string, string>()
  private cancelTick: (() => void) | undefined

  constructor(
    private readonly stepMs: number,
    private readonly targetOf: (id: string) => Target | undefined,
    private readonly onStep: () => void,
    private readonly schedule: Schedule = afterTimeout,
  ) {}

  /** Reveals `id` from `from` (what the user saw before its text jumped), unless it is followed already. */
  follow(id: string, from: string): void {
    if (this.shown.has(id) || from === this.targetOf(id)?.content) return
    this.shown.set(id, from)
    this.kick()
  }

  /** Stops following `id`: its text shows as the model has it (its tokens stream live again). */
  release(id: string): void {
    this.shown.delete(id)
    if (!this.behind()) this.stop()
  }

  /** The message as it should look now: the text revealed so far, still streaming until it caught up. */
  view(message: ViewMessage): ViewMessage {
    const shown = this.shown.get(message.id)
    if (shown === undefined || shown === message.content || message.status === 'error') return message
    return { ...message, content: shown, status: 'streaming' }
  }

  /** Starts the pace if some text is behind; call after every model change. */
  kick(): void {
    if (this.cancelTick === undefined && this.behind()) this.scheduleTick()
  }

  private tick(): void {
    let moved = false
    for (const [id, shown] of this.shown) {
      const target = this.targetOf(id)
      if (!target || target.status === 'error') {
        this.shown.delete(id)
        continue
      }
      const next = revealStep(shown, target.content, target.status === 'complete')
      if (next === target.content) this.shown.delete(id)
      else this.shown.set(id, next)
      moved = moved || next !== shown
    }
    this.cancelTick = undefined
    if (this.behind()) this.scheduleTick()
    if (moved) this.onStep()
  }

  stop(): void {
    this.cancelTick?.()
    this.cancelTick = undefined
  }

  private scheduleTick(): void {
    this.cancelTick = this.schedule(() => this.tick(), this.stepMs)
  }

  private behind(): boolean {
    for (const [id, shown] of this.shown) {
      const target = this.targetOf(id)
      if (target && target.status !== 'error' && shown !== target.content) return true
    }
    return false
  }
}
