import type { Session } from '@chat/protocol'
import { useEffect, useState } from 'react'
import { loadSession, renewalDelayMs } from '../session'

const RETRY_MS = 2000

/**
 * This tab's session (see `loadSession`), null until the backend gave one; retried while it cannot be reached, and
 * renewed (same user, a new token) when it comes within an hour of its expiry, for as long as the tab is open.
 */
export const useChatSession = (baseUrl: string): Session | null => {
  const [session, setSession] = useState<Session | null>(null)
  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const attempt = () => {
      loadSession(baseUrl).then(
        (made) => {
          if (cancelled) return
          setSession(made)
          timer = setTimeout(attempt, renewalDelayMs(made))
        },
        () => {
          if (!cancelled) timer = setTimeout(attempt, RETRY_MS)
        },
      )
    }
    attempt()
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [baseUrl])
  return session
}
