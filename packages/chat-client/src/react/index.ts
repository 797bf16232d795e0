import { createChatController } from '../chat-controller'
import type { ChatClientOptions, UseChatResult } from '../types'
import { useChatController } from './use-chat-controller'

/** Options of the React hooks: the session may still be on its way (null), and the chat waits for it. */
export type ChatHookOptions = Omit<ChatClientOptions, 'session'> & { session: ChatClientOptions['session'] | null }

/** The chat of `options.session`'s user, on its own Motia Stream; a renewed session goes on in the same chat. */
export const useChat = (options: ChatHookOptions): UseChatResult => {
  const { session } = options
  return useChatController(
    [options.baseUrl, session?.userId],
    session,
    session ? () => createChatController({ ...options, session }) : null,
  )
}
export { useChatSession } from './use-chat-session'
export { useComposer } from './use-composer'
export { useFollowLatest } from './use-follow-latest'
