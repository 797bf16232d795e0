import { useChat, useChatSession } from '@chat/client/react'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL = import.meta.env.VITE_MOTIA_URL ?? 'http://localhost:3000'

/** This app's streaming chat, as this tab's session user: the shared client on Motia's stream, polling as fallback. */
export const useMotiaStreamChat = () => useChat({ baseUrl: MOTIA_URL, session: useChatSession(MOTIA_URL) })
