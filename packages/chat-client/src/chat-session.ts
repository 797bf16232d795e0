import { ERROR_CODES, type Session } from '@chat/protocol'
import { ChatApiError } from './chat-api'
import { sessionWaitNoticeText } from './notice-text'
import { countDown, waitSeconds } from './retry-wait'
import { afterTimeout, monotonicNow, type Now, type Schedule } from './schedule'
import { loadSession, renewalDelayMs } from './session'
import type { ChatState } from './types'

/** How long the tab waits before asking again when the backend cannot be reached (or failed otherwise). */
export const SESSION_RETRY_MS = 2000

export interface ChatSessionState {
  /** Null until the backend gave one. */
  session: Session | null
  /**
   * While the tab may not have a session yet (`429 too_many_sessions`): our words, counting down to the next attempt,
   * as the chat's `error` (no Retry: the tab asks again by itself). Null otherwise.
   */
  error: ChatState['error']
}

export interface ChatSessionController {
  getState(): ChatSessionState
  /** Hears every change (a session given or renewed, the wait's words). Returns its unsubscribe. */
  subscribe(listener: (state: ChatSessionState) => void): () => void
  /** Stops asking and renewing. */
  close(): void
}

/** What the session controller may be given besides the backend's address: a source and clocks for tests. */
export interface ChatSessionDeps {
  /** Gets the tab's session (kept, renewed or new). Default: `loadSession(baseUrl)` (sessionStorage). */
  load?: () => Promise<Session>
  /** Every timer (the retry, the wait, the renewal) runs on it. Default: setTimeout. */
  schedule?: Schedule
  /** The time `schedule` runs on (the wait's count-down). Default: `performance.now`. */
  now?: Now
  /** The wall clock a session's `expiresAt` is read against (when to renew). Default: `Date.now`. */
  wallNow?: () => number
  retryMs?: number
}

const refused = (left: number): ChatSessionState['error'] => ({
  code: ERROR_CODES.tooManySessions,
  message: sessionWaitNoticeText(left),
  retryMessage: null,
  canRetry: false,
})

/**
 * This tab's session (see `loadSession`) and what keeps it from having one, without a framework: asked for at once,
 * retried every `SESSION_RETRY_MS` while the backend cannot be reached, after the `Retry-After` the backend names
 * when it refuses a new session (too many from one address, counted down in `error`), and renewed (same user, a new
 * token) when it comes within an hour of its expiry, for as long as it is open. A session still held goes on while a
 * renewal is refused. React's `useChatSessionState` wraps it.
 */
export const createChatSession = (baseUrl: string, deps: ChatSessionDeps = {}): ChatSessionController => {
  const schedule = deps.schedule ?? afterTimeout
  const now = deps.now ?? monotonicNow
  const wallNow = deps.wallNow ?? Date.now
  const load = deps.load ?? (() => loadSession(baseUrl, window.sessionStorage, wallNow()))
  const retryMs = deps.retryMs ?? SESSION_RETRY_MS
  let state: ChatSessionState = { session: null, error: null }
  let closed = false
  let cancelTimer: () => void = () => undefined
  const listeners = new Set<(state: ChatSessionState) => void>()
  const set = (next: ChatSessionState) => {
    if (next.session === state.session && next.error === state.error) return
    state = next
    for (const listener of listeners) listener(state)
  }
  const attempt = () => {
    load().then(
      (made) => {
        if (closed) return
        set({ session: made, error: null })
        cancelTimer = schedule(attempt, renewalDelayMs(made, wallNow()))
      },
      (error: unknown) => {
        if (closed) return
        const wait = error instanceof ChatApiError && error.code === ERROR_CODES.tooManySessions ? waitSeconds(error.code, error.retryAfterSeconds) : 0
        if (wait === 0) {
          cancelTimer = schedule(attempt, retryMs)
          return
        }
        // A session still held (a renewal refused) goes on meanwhile; a tab without one says why it waits.
        if (!state.session) set({ session: null, error: refused(wait) })
        cancelTimer = countDown(wait, schedule, now, (left) => {
          if (closed) return
          if (!state.session) set({ session: null, error: refused(left) })
          if (left === 0) attempt()
        })
      },
    )
  }
  attempt()
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    close() {
      closed = true
      cancelTimer()
      listeners.clear()
    },
  }
}
