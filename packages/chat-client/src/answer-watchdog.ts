import type { ChatMessage } from '@chat/protocol'
import type { AnswerReads } from './answer-reads'
import { Deadline } from './deadline'
import { afterTimeout, monotonicNow } from './schedule'

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

interface Watched {
  /** Expires after `silenceMs` without a frame, or `confirmMs` into a suspicion. */
  deadline: Deadline
  /** While a suspicion is being confirmed: the frames seen when it began. */
  suspectedAt: number | null
}

/**
 * Guards the answers in progress while the socket is live: an open socket can go quiet (a proxy that stopped
 * forwarding, a server that lost the subscription). After `silenceMs` without a frame about an answer its item is read once:
 * a finished item finishes it, and a change the socket never delivered marks the socket stale.
 */
export class AnswerWatchdog {
  private readonly seen = new Map<string, Seen>()
  private readonly watched = new Map<string, Watched>()

  constructor(private readonly options: WatchdogOptions) {}

  watch(traceId: string): void {
    if (this.watched.has(traceId)) return
    const deadline = new Deadline(this.options.schedule ?? afterTimeout, this.options.now ?? monotonicNow, () => this.expired(traceId))
    this.watched.set(traceId, { deadline, suspectedAt: null })
    deadline.set(this.options.silenceMs)
  }

  /** A frame about `traceId` arrived over the socket (with its item's updatedAt when it was an item). */
  frame(traceId: string, updatedAt?: string): void {
    const seen = this.seenOf(traceId)
    seen.frames += 1
    if (updatedAt !== undefined) seen.updatedAt = updatedAt
    const watched = this.watched.get(traceId)
    if (!watched) return
    watched.suspectedAt = null
    watched.deadline.set(this.options.silenceMs)
  }

  forget(traceId: string): void {
    this.watched.get(traceId)?.deadline.clear()
    this.watched.delete(traceId)
  }

  stop(): void {
    for (const traceId of [...this.watched.keys()]) this.forget(traceId)
  }

  private seenOf(traceId: string): Seen {
    let seen = this.seen.get(traceId)
    if (!seen) this.seen.set(traceId, (seen = { frames: 0, updatedAt: null }))
    return seen
  }

  private expired(traceId: string): void {
    const watched = this.watched.get(traceId)
    if (!watched) return
    if (watched.suspectedAt === null) return void this.check(traceId, watched)
    if (this.seenOf(traceId).frames === watched.suspectedAt) this.options.onStale(traceId)
  }

  private async check(traceId: string, watched: Watched): Promise<void> {
    const seen = this.seenOf(traceId)
    const framesBefore = seen.frames
    let item: ChatMessage
    try {
      item = await this.options.fetchItem(traceId)
    } catch {
      if (this.watched.get(traceId) === watched) watched.deadline.set(this.options.silenceMs)
      return
    }
    if (this.watched.get(traceId) !== watched) return
    this.options.onItem(item)
    if (item.status === 'complete' || item.status === 'error') return this.forget(traceId)
    if (seen.frames !== framesBefore || item.updatedAt === seen.updatedAt) return watched.deadline.set(this.options.silenceMs)
    // The frame of that write may still be on its way: give it a moment before giving up on the socket.
    watched.suspectedAt = framesBefore
    watched.deadline.set(this.options.confirmMs)
  }
}
