'use client'

import { useChatSessionState } from '@chat/client/react'
import { StreamingChatInterface, StreamingChatPlaceholder } from '../components/streaming-chat-interface'
import { MOTIA_URL } from '../lib/motia-stream-client'

/** The session lives in the tab's sessionStorage (or comes from the backend), which exist only in the browser. */
export function ChatPage() {
  const { session, error } = useChatSessionState(MOTIA_URL)
  return session ? <StreamingChatInterface session={session} /> : <StreamingChatPlaceholder notice={error?.message ?? null} />
}
