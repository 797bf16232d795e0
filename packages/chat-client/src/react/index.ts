import { createChatController } from '../chat-controller'
import type { ChatClientOptions, ChatState, UseChatResult } from '../types'
import { useChatController } from './use-chat-controller'

/**
 * Options of the React hooks: the session may still be on its way (null), and the chat waits for it, showing
 * `sessionError` (`useChatSessionState`'s) meanwhile.
 */
export type ChatHookOptions = Omit<ChatClientOptions, 'session'> & {
  session: ChatClientOptions['session'] | null
  sessionError?: ChatState['error']
}

/** The chat of `options.session`'s user, on its own Motia Stream; a renewed session goes on in the same chat. */
export const useChat = ({ sessionError = null, ...options }: ChatHookOptions): UseChatResult => {
  const { session } = options
  return useChatController(
    [options.baseUrl, session?.userId],
    session,
    session ? () => createChatController({ ...options, session }) : null,
    sessionError,
  )
}
export { useChatSession, useChatSessionState, type ChatSessionState } from './use-chat-session'
export { useComposer } from './use-composer'
export { useFollowLatest } from './use-follow-latest'
