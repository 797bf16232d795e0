import { groupIdFor, socketProtocols, STREAM_NAME, type ChatEvent, type ChatMessage } from '@chat/protocol'
import type { Stream } from '@motiadev/stream-client-browser'
import { observeGroupFrames, type GroupSubscription } from './group-frames'
import { createSocketSafely, GuardedStream } from './guarded-stream'
import { socketOf, takeOverSocketLifecycle } from './motia-internals'
import { afterTimeout, type Schedule } from './schedule'

export interface StreamConnectionOptions {
  wsUrl: string
  userId: string
  /** The session token, offered as the socket's `bearer.<token>` subprotocol (ignored with an existing `stream`). */
  token: string
  connectTimeoutMs: number
  /** Waits before each reconnection attempt; the last one repeats. */
  reconnectDelaysMs?: readonly number[]
  logger: Pick<Console, 'log' | 'warn'>
  /** An existing Motia Stream (e.g. from `MotiaStreamProvider`) instead of a new one. */
  stream?: Stream
  /** The join's sync arrived: from now on nothing published to the group is missed. */
  onLive(): void
  onDown(reason: string): void
  onSync(items: ChatMessage[]): void
  onItem(item: ChatMessage): void
  onEvent(event: ChatEvent): void
  /** Default: setTimeout; for the join's timeout and the reconnections. */
  schedule?: Schedule
}

const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 15000]

/**
 * The socket to `chat-messages:user:<id>` on Motia's own client. Live only once the join's `sync` arrived: the
 * (patched) server registers the join before reading the sync and sends what was published meanwhile after it. Owns
 * reconnection (with backoff) instead of the client's fixed 2 s retry, which even follows `close()`.
 */
export class StreamConnection {
  private readonly stream: Stream
  /** Gives the Stream its own socket life cycle back (when the Stream is not ours). */
  private readonly restoreLifecycle: () => void
  private readonly subscription: GroupSubscription
  private readonly label: string
  /** Motia's Stream reads its protocols at each socket it makes: a renewed token goes with the next one. */
  private readonly socketOptions: { protocols: string[] }
  private opened = false
  private synced = false
  private closed = false
  private attempt = 0
  private readonly schedule: Schedule
  private cancelConnectTimeout = () => undefined as void
  private cancelReconnect = () => undefined as void

  constructor(private readonly options: StreamConnectionOptions) {
    this.label = `${STREAM_NAME}:${groupIdFor(options.userId)}`
    this.schedule = options.schedule ?? afterTimeout
    this.socketOptions = { protocols: socketProtocols(options.token) }
    this.stream = options.stream ?? new GuardedStream(options.wsUrl, this.socketOptions)
    this.opened = socketOf(this.stream).isOpen()
    this.restoreLifecycle = takeOverSocketLifecycle(this.stream, {
      opened: () => void (this.opened = true),
      closed: () => this.handleClose('closed'),
    })
    this.subscription = this.stream.subscribeGroup<ChatMessage>(STREAM_NAME, groupIdFor(options.userId))
    observeGroupFrames(this.subscription, {
      onSync: (items) => this.handleSync(items),
      onItem: (item) => this.synced && options.onItem(item),
      onEvent: (event) => this.synced && options.onEvent(event),
    })
    this.armConnectTimeout()
  }

  get isLive(): boolean {
    return this.synced
  }

  /** Gives up the current socket (it answers nothing any more) and reconnects as after a close. */
  restart(reason: string): void {
    if (this.closed) return
    socketOf(this.stream).close()
    this.handleClose(reason)
  }

  /**
   * Reopens the socket offering `token` (a renewed session's): the server closes a socket when the token it was
   * opened with expires. The reconnection syncs, as after any. An existing Stream is its owner's to reopen.
   */
  useToken(token: string): void {
    if (this.options.stream) return
    this.socketOptions.protocols = socketProtocols(token)
    this.restart('session renewed')
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.cancelConnectTimeout()
    this.cancelReconnect()
    this.subscription.close()
    if (this.options.stream) this.restoreLifecycle()
    else this.stream.close()
  }

  private handleSync(items: ChatMessage[]): void {
    if (this.closed) return
    if (!this.synced) {
      this.synced = true
      this.attempt = 0
      this.cancelConnectTimeout()
      this.options.logger.log(`[MotiaStream] Connected to ${this.label}`)
      this.options.onLive()
    }
    this.options.onSync(items)
  }

  private handleClose(reason: string): void {
    if (this.closed) return
    const wasOpen = this.opened
    this.opened = false
    this.synced = false
    this.cancelConnectTimeout()
    // A socket that never opened was refused, not disconnected.
    if (wasOpen) this.options.logger.log(`[MotiaStream] Disconnected from ${this.label}`)
    this.options.onDown(reason)
    const delays = this.options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000
    this.attempt += 1
    this.cancelReconnect()
    this.cancelReconnect = this.schedule(() => {
      if (this.closed) return
      createSocketSafely(this.stream)
      this.armConnectTimeout()
    }, delay)
  }

  private armConnectTimeout(): void {
    this.cancelConnectTimeout()
    this.cancelConnectTimeout = this.schedule(() => {
      if (this.synced || this.closed) return
      this.options.logger.warn(`[MotiaStream] No answer to the join of ${this.label} within ${this.options.connectTimeoutMs} ms`)
      // Closing through the adapter detaches its listeners first, so this close is handled here.
      this.restart('timeout')
    }, this.options.connectTimeoutMs)
  }
}
