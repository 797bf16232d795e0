import type { ProviderName, Session, SwitchReason } from '@chat/protocol'
import type { ConversationStorage } from './conversation'

/** How the chat currently receives answers; shown as `data-transport` on `[data-testid="connection-status"]`. */
export type Transport = 'connecting' | 'websocket' | 'polling' | 'offline'

export type ViewMessageStatus = 'streaming' | 'complete' | 'error'

export interface ProviderNotice {
  from: ProviderName
  to: ProviderName
  /** Null when the switch was seen only in the answer's item (polling, reload), which does not say why. */
  reason: SwitchReason | null
  /** Words for the user, e.g. "openai failed (stalled) — switched to anthropic". */
  text: string
}

/** One message as the UI renders it. */
export interface ViewMessage {
  /** The user message's id is `<traceId>:user`; the answer's id is its traceId (named by the client when it sends). */
  id: string
  /** Null on a user message whose POST failed: the backend has no answer for it. */
  traceId: string | null
  role: 'user' | 'assistant'
  content: string
  status: ViewMessageStatus
  provider: ProviderName | null
  notice: ProviderNotice | null
  /** Words for the user when the provider cut the finished answer off at its length limit; null otherwise. */
  endingNotice: string | null
  error: { code: string; message: string } | null
  /** ISO time the message was made (the server's once its item is known); orders a restored conversation. */
  createdAt?: string
}

export interface ChatState {
  userId: string
  transport: Transport
  messages: ViewMessage[]
  /** True while an answer is in progress: the send button is disabled. */
  isStreaming: boolean
  /** True once the socket's join has been answered (or polling is in force) and no answer is in progress. */
  canSend: boolean
  /**
   * The last failure the user should see (POST failed, all providers failed…), with what retry would resend.
   * `canRetry` is false while the wait of a busy backend or a limit runs (`message` counts it down; sending waits too),
   * true otherwise.
   */
  error: { code: string; message: string; retryMessage: string | null; canRetry: boolean } | null
}

export interface ChatClientOptions {
  /** Backend origin, e.g. http://localhost:3000 (ws:// is derived from it). */
  baseUrl: string
  /** Whose chat: the token goes with every request and socket; the user is the one the server gave it to. */
  session: Session
  /** Where the tab keeps its current conversation, so a reload continues it. Default: sessionStorage; null: nowhere. */
  storage?: ConversationStorage | null
  /** Socket must open and answer the join (its `sync`) within this time, or the answer is polled. Default 3000. */
  connectTimeoutMs?: number
  /** Base polling interval; backs off on errors and when nothing changes. Default 250. */
  pollIntervalMs?: number
  /** Where the `[MotiaStream] …` lines go. Default: console. */
  logger?: Pick<Console, 'log' | 'warn' | 'error'>
}

export interface ChatController {
  getState(): ChatState
  subscribe(listener: (state: ChatState) => void): () => void
  send(message: string): Promise<void>
  /** Sends `state.error.retryMessage` again. */
  retry(): Promise<void>
  /** "New chat": starts a new, empty conversation (kept by the tab); the next message is its first turn. */
  newChat(): void
  /**
   * Goes on with the same user's renewed session: its token for every request from now on, and a new socket offering
   * it (the server closes a socket when the token it was opened with expires); the reconnection syncs, as after any.
   * A session of another user, or the same token, changes nothing.
   */
  renewSession(session: Session): void
  /** Stops everything: socket (no reconnect), polling, timers. */
  close(): void
}

/** What the React hooks (`@chat/client/react`, `@chat/client/motia-react`) return. */
export interface UseChatResult {
  state: ChatState
  send(message: string): Promise<void>
  retry(): Promise<void>
  newChat(): void
}
