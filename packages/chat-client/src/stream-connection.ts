import { chatEventSchema, type ChatEvent, type ChatMessage, groupIdFor, STREAM_NAME } from '@chat/protocol'
import { Stream } from '@motiadev/stream-client-browser'

/** Motia 0.17's Stream keeps these private; we take over its reconnect logic through them. */
interface StreamInternals {
  ws: { close(): void }
  createSocket(): void
  onSocketOpen(): void
  onSocketClose(): void
}

export interface StreamConnectionOptions {
  wsUrl: string
  userId: string
  connectTimeoutMs: number
  logger: Pick<Console, 'log' | 'warn'>
  /** An existing Motia Stream (e.g. from `MotiaStreamProvider`) instead of a new one. */
  stream?: Stream
  onLive(): void
  onDown(reason: string): void
  onItems(items: ChatMessage[]): void
  onEvent(event: ChatEvent): void
}

const EVENT_TYPES: ChatEvent['type'][] = ['token', 'complete', 'error', 'provider_switch']
const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000]

/**
 * The socket to `chat-messages:user:<id>` on Motia's own client. Live only once the join's `sync` arrived: Motia's
 * server answers a join before it registers the subscription, so nothing published earlier can reach us. Owns
 * reconnection (with backoff) instead of the client's fixed 2 s retry that even follows `close()`.
 */
export class StreamConnection {
  private readonly stream: Stream
  private readonly internals: StreamInternals
  private readonly subscription: ReturnType<Stream['subscribeGroup']>
  private readonly label: string
  private synced = false
  private closed = false
  private attempt = 0
  private connectTimer: ReturnType<typeof setTimeout> | undefined
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly options: StreamConnectionOptions) {
    this.label = `${STREAM_NAME}:${groupIdFor(options.userId)}`
    this.stream = options.stream ?? new Stream(options.wsUrl)
    this.internals = this.stream as unknown as StreamInternals
    this.internals.onSocketClose = () => this.handleClose()
    this.subscription = this.stream.subscribeGroup(STREAM_NAME, groupIdFor(options.userId))
    this.subscription.addChangeListener((items) => this.handleItems(items as ChatMessage[]))
    for (const type of EVENT_TYPES) {
      this.subscription.onEvent(type, (data: unknown) => {
        const event = chatEventSchema.safeParse({ type, data })
        if (event.success) options.onEvent(event.data)
      })
    }
    this.armConnectTimeout()
  }

  get isLive(): boolean {
    return this.synced
  }

  close(): void {
    this.closed = true
    clearTimeout(this.connectTimer)
    clearTimeout(this.reconnectTimer)
    this.subscription.close()
    if (!this.options.stream) this.stream.close()
  }

  private handleItems(items: ChatMessage[]): void {
    if (!this.synced) {
      this.synced = true
      this.attempt = 0
      clearTimeout(this.connectTimer)
      this.options.logger.log(`[MotiaStream] Connected to ${this.label}`)
      this.options.onLive()
    }
    this.options.onItems(items)
  }

  private handleClose(): void {
    if (this.closed) return
    this.synced = false
    clearTimeout(this.connectTimer)
    this.options.logger.log(`[MotiaStream] Disconnected from ${this.label}`)
    this.options.onDown('closed')
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]
    this.attempt += 1
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return
      this.internals.createSocket()
      this.armConnectTimeout()
    }, delay)
  }

  private armConnectTimeout(): void {
    clearTimeout(this.connectTimer)
    this.connectTimer = setTimeout(() => {
      if (this.synced || this.closed) return
      this.options.logger.warn(`[MotiaStream] No answer to the join of ${this.label} within ${this.options.connectTimeoutMs} ms`)
      // Closing through the adapter detaches its listeners, so the close is handled here.
      this.internals.ws.close()
      this.handleClose()
    }, this.options.connectTimeoutMs)
  }
}
