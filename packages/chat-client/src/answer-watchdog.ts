import type { ChatMessage } from '@chat/protocol'
import type { AnswerReads } from './answer-reads'
import { afterTimeout, type Schedule } from './schedule'

export interface WatchdogOptions extends AnswerReads {
  /** Socket silence about one answer after which its item is read once. */
  silenceMs: number
  /** How long a suspicion (the item changed, the socket said nothing) must last before the socket is given up. */
  confirmMs: number
  /** The socket is open but did not deliver what the backend wrote: it is stale. */
  onStale(traceId: string): void
}

interface Seen {
  /** Frames about this answer that came over the socket. */
  frames: number
  /** The updatedAt of the last item version the socket delivered. */
  updatedAt: string | null
}

/**
 * Guards the answers in progress while the socket is live: an open socket can go quiet (a proxy that stopped
 * forwarding, a server that lost the subscription). After `silenceMs` without a frame about an answer its item is read once:
 * a finished item finishes it, and a change the socket never delivered marks the socket stale.
 */
export class AnswerWatchdog {
  private readonly seen = new Map<string, Seen>()
  /** Per answer watched: the cancel of its pending check. */
  private readonly timers = new Map<string, () => void>()
  private readonly schedule: Schedule

  constructor(private readonly options: WatchdogOptions) {
    this.schedule = options.schedule ?? afterTimeout
  }

  watch(traceId: string): void {
    if (!this.timers.has(traceId)) this.arm(traceId, this.options.silenceMs)
  }

  /** A frame about `traceId` arrived over the socket (with its item's updatedAt when it was an item). */
  frame(traceId: string, updatedAt?: string): void {
    const seen = this.seenOf(traceId)
    seen.frames += 1
    if (updatedAt !== undefined) seen.updatedAt = updatedAt
    if (this.timers.has(traceId)) this.arm(traceId, this.options.silenceMs)
  }

  forget(traceId: string): void {
    this.timers.get(traceId)?.()
    this.timers.delete(traceId)
  }

  stop(): void {
    for (const traceId of [...this.timers.keys()]) this.forget(traceId)
  }

  private seenOf(traceId: string): Seen {
    let seen = this.seen.get(traceId)
    if (!seen) this.seen.set(traceId, (seen = { frames: 0, updatedAt: null }))
    return seen
  }

  private arm(traceId: string, delayMs: number, then: () => void = () => void this.check(traceId)): void {
    this.timers.get(traceId)?.()
    this.timers.set(traceId, this.schedule(then, delayMs))
  }

  private async check(traceId: string): Promise<void> {
    const seen = this.seenOf(traceId)
    const framesBefore = seen.frames
    let item: ChatMessage
    try {
      item = await this.options.fetchItem(traceId)
    } catch {
      if (this.timers.has(traceId)) this.arm(traceId, this.options.silenceMs)
      return
    }
    if (!this.timers.has(traceId)) return
    this.options.onItem(item)
    if (item.status === 'complete' || item.status === 'error') return this.forget(traceId)
    if (seen.frames !== framesBefore || item.updatedAt === seen.updatedAt) return this.arm(traceId, this.options.silenceMs)
    // The frame of that write may still be on its way: give it a moment before giving up on the socket.
    this.arm(traceId, this.options.confirmMs, () => {
      if (seen.frames === framesBefore) this.options.onStale(traceId)
      else this.arm(traceId, this.options.silenceMs)
    })
  }
}
