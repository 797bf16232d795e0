'use client'

import { useEffect, useState } from 'react'
import { StreamingChatInterface, StreamingChatPlaceholder } from '../components/streaming-chat-interface'
import { resolveUserId } from '../lib/motia-stream-client'

/** The user comes from the URL or localStorage, which exist only in the browser. */
export function ChatPage() {
  const [userId, setUserId] = useState<string | null>(null)
  useEffect(() => {
    setUserId(resolveUserId())
  }, [])
  return userId ? <StreamingChatInterface userId={userId} /> : <StreamingChatPlaceholder />
}
