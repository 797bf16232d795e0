import type { ChatMessage, ProviderName } from '@chat/protocol'
import { groupIdFor } from '@chat/protocol'
import type { MotiaStream } from 'motia'

/** The item is rewritten with the answer so far at most this often while tokens arrive. */
const ITEM_WRITE_INTERVAL_MS = 250

/**
 * The assistant's answer as a stream item (id = traceId): what a poller, a reload or a late joiner reads.
 * Token appends are throttled; every change of status is written at once.
 */
export class AnswerItem {
  private lastWriteAt = 0

  private constructor(
    private readonly stream: MotiaStream<ChatMessage>,
    private item: ChatMessage,
  ) {}

  static async load(stream: MotiaStream<ChatMessage>, userId: string, traceId: string): Promise<AnswerItem> {
    const stored = await stream.get(groupIdFor(userId), traceId)
    if (!stored) throw new Error(`answer item ${traceId} of user ${userId} does not exist`)
    const { id, userId: owner, conversationId, role, content, status, provider, createdAt, updatedAt } = stored
    return new AnswerItem(stream, { id, userId: owner, conversationId, role, content, status, provider, createdAt, updatedAt })
  }

  /** A provider attempt starts: the text so far is discarded. */
  begin(provider: ProviderName): Promise<void> {
    return this.write({ status: 'streaming', provider, content: '' })
  }

  async append(token: string): Promise<void> {
    this.item = { ...this.item, content: this.item.content + token }
    if (Date.now() - this.lastWriteAt >= ITEM_WRITE_INTERVAL_MS) await this.write({})
  }

  complete(content: string, provider: ProviderName): Promise<void> {
    return this.write({ status: 'complete', content, provider })
  }

  fail(): Promise<void> {
    return this.write({ status: 'error' })
  }

  private async write(change: Partial<ChatMessage>): Promise<void> {
    this.item = { ...this.item, ...change, updatedAt: new Date().toISOString() }
    this.lastWriteAt = Date.now()
    await this.stream.set(groupIdFor(this.item.userId), this.item.id, this.item)
  }
}
