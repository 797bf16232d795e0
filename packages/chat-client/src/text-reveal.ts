import { afterTimeout, type Schedule } from './schedule'
import type { ViewMessage } from './types'
import { revealStep } from './word-reveal'

/** The pace of a reveal: one step every this many milliseconds. */
export const REVEAL_STEP_MS = 30

type Target = Pick<ViewMessage, 'content' | 'status'>

/**
 * Shows answers whose text arrives in chunks (a poll, an item update after a reconnect or a reload) growing word by
 * word at a steady pace instead of in jumps. Only the view lags: the model keeps the exact text.
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

  /** Reveals `id` from now on, starting from `from` (what the user already sees). */
  follow(id: string, from: string): void {
    if (!this.shown.has(id)) this.shown.set(id, from)
    this.kick()
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
      if (!target || target.status === 'error' || (target.status === 'complete' && shown === target.content)) {
        this.shown.delete(id)
        continue
      }
      if (shown === target.content) continue
      this.shown.set(id, revealStep(shown, target.content, target.status === 'complete'))
      moved = true
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
