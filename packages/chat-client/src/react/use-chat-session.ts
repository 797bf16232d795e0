import type { Session } from '@chat/protocol'
import { useEffect, useState } from 'react'
import { createChatSession, type ChatSessionState } from '../chat-session'

export type { ChatSessionState } from '../chat-session'

const NO_SESSION: ChatSessionState = { session: null, error: null }

/**
 * This tab's session and what keeps it from having one (`createChatSession`, bound to React): retried while the
 * backend cannot be reached, waiting out a refused new session (counted down in `error`), renewed before it expires.
 */
export const useChatSessionState = (baseUrl: string): ChatSessionState => {
  const [state, setState] = useState<ChatSessionState>(NO_SESSION)
  useEffect(() => {
    const controller = createChatSession(baseUrl)
    const unsubscribe = controller.subscribe(setState)
    return () => {
      unsubscribe()
      controller.close()
    }
  }, [baseUrl])
  return state
}

/** This tab's session (see `useChatSessionState`), null until the backend gave one. */
export const useChatSession = (baseUrl: string): Session | null => useChatSessionState(baseUrl).session
