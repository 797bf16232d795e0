import { resolveUserId } from '@chat/client'
import { useChat } from '@chat/client/react'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL = import.meta.env.VITE_MOTIA_URL ?? 'http://localhost:3000'

/**
 * This app's streaming chat: the shared client on Motia's WebSocket stream, with its polling fallback.
 * @param {string} userId
 */
export const useMotiaStreamChat = (userId) => useChat({ baseUrl: MOTIA_URL, userId })

export const currentUserId = () => resolveUserId()
