import { ERROR_CODES, type Session } from '@chat/protocol'
import { useEffect, useState } from 'react'
import { ChatApiError } from '../chat-api'
import { sessionWaitNoticeText } from '../notice-text'
import { countDown, waitSeconds } from '../retry-wait'
import { afterTimeout, monotonicNow } from '../schedule'
import { loadSession, renewalDelayMs } from '../session'
import type { ChatState } from '../types'

const RETRY_MS = 2000

export interface ChatSessionState {
  /** Null until the backend gave one. */
  session: Session | null
  /**
   * While the tab may not have a session yet (`429 too_many_sessions`): our words, counting down to the next attempt,
   * as the chat's `error` (no Retry: the tab asks again by itself). Null otherwise.
   */
  error: ChatState['error']
}

/**
 * This tab's session (see `loadSession`) and what keeps it from having one: retried while the backend cannot be
 * reached, after the `Retry-After` the backend names when it refuses a new session (too many from one address,
 * counted down in `error`), and renewed (same user, a new token) when it comes within an hour of its expiry, for as
 * long as the tab is open.
 */
export const useChatSessionState = (baseUrl: string): ChatSessionState => {
  const [state, setState] = useState<ChatSessionState>({ session: null, error: null })
  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let cancelWait: () => void = () => undefined
    const refused = (left: number): ChatSessionState['error'] => ({
      code: ERROR_CODES.tooManySessions,
      message: sessionWaitNoticeText(left),
      retryMessage: null,
      canRetry: false,
    })
    const attempt = () => {
      loadSession(baseUrl).then(
        (made) => {
          if (cancelled) return
          setState({ session: made, error: null })
          timer = setTimeout(attempt, renewalDelayMs(made))
        },
        (error: unknown) => {
          if (cancelled) return
          const wait = error instanceof ChatApiError && error.code === ERROR_CODES.tooManySessions ? waitSeconds(error.code, error.retryAfterSeconds) : 0
          if (wait === 0) {
            timer = setTimeout(attempt, RETRY_MS)
            return
          }
          // A session still held (a renewal refused) goes on meanwhile; a tab without one says why it waits.
          setState((held) => (held.session ? held : { session: null, error: refused(wait) }))
          cancelWait = countDown(wait, afterTimeout, monotonicNow, (left) => {
            if (cancelled) return
            setState((held) => (held.session ? held : { session: null, error: refused(left) }))
            if (left === 0) attempt()
          })
        },
      )
    }
    attempt()
    return () => {
      cancelled = true
      clearTimeout(timer)
      cancelWait()
    }
  }, [baseUrl])
  return state
}

/** This tab's session (see `useChatSessionState`), null until the backend gave one. */
export const useChatSession = (baseUrl: string): Session | null => useChatSessionState(baseUrl).session
