import type { ViewMessage } from './types'
import { revealStep } from './word-reveal'

type Target = Pick<ViewMessage, 'content' | 'status'>

/**
 * Shows answers whose text arrives in chunks (a poll, an item update after a reconnect or a reload) growing word by
 * word at a steady pace instead of in jumps. Only the view lags: the model keeps the exact text.
 */
export class TextReveal {
  private readonly shown = new Map<string, string>()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly stepMs: number,
    private readonly targetOf: (id: string) => Target | undefined,
    private readonly onStep: () => void,
  ) {}

  /** Reveals `id` from now on, starting from `from` (what the user already sees). */
  follow(id: string, from: string): void {
    if (!this.shown.has(id)) this.shown.set(id, from)
    this.kick()
  }

  isFollowing(id: string): boolean {
    return this.shown.has(id)
  }

  /** The message as it should look now: the text revealed so far, still streaming until it caught up. */
  view(message: ViewMessage): ViewMessage {
    const shown = this.shown.get(message.id)
    if (shown === undefined || shown === message.content || message.status === 'error') return message
    return { ...message, content: shown, status: 'streaming' }
  }

  /** Starts the pace if some text is behind; call after every model change. */
  kick(): void {
    if (this.timer === undefined && this.behind()) this.timer = setInterval(() => this.tick(), this.stepMs)
  }

  tick(): void {
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
    if (!this.behind()) this.stop()
    if (moved) this.onStep()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private behind(): boolean {
    for (const [id, shown] of this.shown) {
      const target = this.targetOf(id)
      if (target && target.status !== 'error' && shown !== target.content) return true
    }
    return false
  }
}
