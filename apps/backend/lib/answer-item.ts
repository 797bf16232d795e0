import type { ChatMessage, FinishReason, ProviderName } from '@chat/protocol'
import { groupIdFor } from '@chat/protocol'
import type { MotiaStream } from 'motia'

/** The item is rewritten with the answer so far at most this often while tokens arrive. */
const ITEM_WRITE_INTERVAL_MS = 250
/** A final write (complete, error) is retried this long while Redis is away, then given up (the sweep then ends it). */
const FINAL_WRITE_RETRY_MS = 30_000
const FINAL_WRITE_RETRY_EVERY_MS = 250

/**
 * The assistant's answer as a stream item (id = traceId): what a poller, a reload or a late joiner reads.
 * Token appends are throttled, with a trailing write so the last tokens before a pause show too; every change
 * of status is written at once. Writes of the text so far are best effort (the next one supersedes a failed one, so
 * a short Redis outage does not stop the answer); the final write is retried until Redis is back.
 */
export class AnswerItem {
  private lastWriteAt = 0
  private trailingWrite: NodeJS.Timeout | undefined
  /** Writes go out one after another, so a late trailing write can never land after the final one. */
  private writes: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly stream: MotiaStream<ChatMessage>,
    private item: ChatMessage,
  ) {}

  static async load(stream: MotiaStream<ChatMessage>, userId: string, traceId: string): Promise<AnswerItem> {
    const stored = await stream.get(groupIdFor(userId), traceId)
    if (!stored) throw new Error(`answer item ${traceId} of user ${userId} does not exist`)
    const { id, userId: owner, conversationId, role, content, status, provider, tokens, createdAt, updatedAt } = stored
    return new AnswerItem(stream, { id, userId: owner, conversationId, role, content, status, provider, tokens, createdAt, updatedAt })
  }

  get status(): ChatMessage['status'] {
    return this.item.status
  }

  /** Tokens of the current attempt the item holds. */
  get tokens(): number {
    return this.item.tokens ?? 0
  }

  get updatedAt(): string {
    return this.item.updatedAt
  }

  /** A provider attempt starts: the text so far is discarded. */
  begin(provider: ProviderName): Promise<void> {
    return this.write({ status: 'streaming', provider, content: '', tokens: 0 })
  }

  /** Token `seq` of the current attempt (they come in order, from 0). */
  async append(token: string, seq: number): Promise<void> {
    this.item = { ...this.item, content: this.item.content + token, tokens: seq + 1 }
    const wait = this.lastWriteAt + ITEM_WRITE_INTERVAL_MS - Date.now()
    if (wait <= 0) return this.write({}).catch(() => undefined)
    this.trailingWrite ??= setTimeout(() => void this.write({}).catch(() => undefined), wait)
  }

  complete(content: string, provider: ProviderName, finishReason: FinishReason): Promise<void> {
    return this.finalWrite({ status: 'complete', content, provider, finishReason })
  }

  fail(): Promise<void> {
    return this.finalWrite({ status: 'error' })
  }

  private async finalWrite(change: Partial<ChatMessage>): Promise<void> {
    const giveUpAt = Date.now() + FINAL_WRITE_RETRY_MS
    for (;;) {
      try {
        return await this.write(change)
      } catch (error) {
        if (Date.now() > giveUpAt) throw error
        await new Promise((resolve) => setTimeout(resolve, FINAL_WRITE_RETRY_EVERY_MS))
      }
    }
  }

  private async write(change: Partial<ChatMessage>): Promise<void> {
    clearTimeout(this.trailingWrite)
    this.trailingWrite = undefined
    this.item = { ...this.item, ...change, updatedAt: new Date().toISOString() }
    this.lastWriteAt = Date.now()
    const item = this.item
    this.writes = this.writes.catch(() => undefined).then(() => this.stream.set(groupIdFor(item.userId), item.id, item))
    await this.writes
  }
}
