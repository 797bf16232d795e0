import { useChat, useChatSessionState } from '@chat/client/react'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL = import.meta.env.VITE_MOTIA_URL ?? 'http://localhost:3000'

/** This app's streaming chat, as this tab's session user: the shared client on Motia's stream, polling as fallback. */
export const useMotiaStreamChat = () => {
  // Until the tab has a session, the chat shows why it waits for one (too many new sessions from this network).
  const { session, error } = useChatSessionState(MOTIA_URL)
  return useChat({ baseUrl: MOTIA_URL, session, sessionError: error })
}
