'use client'

import { useChat } from '@chat/client/react'
import { MOTIA_URL, type Session, type UseChatResult } from '../lib/motia-stream-client'

/** This app's streaming chat: the shared client on Motia's WebSocket stream, with its polling fallback. */
export const useMotiaStreamChat = (session: Session): UseChatResult => useChat({ baseUrl: MOTIA_URL, session })
