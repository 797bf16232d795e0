import { createChatController } from '../chat-controller'
import type { ChatClientOptions, UseChatResult } from '../types'
import { useChatController } from './use-chat-controller'

/** The chat of `options.userId`, on its own Motia Stream. */
export const useChat = (options: ChatClientOptions): UseChatResult =>
  useChatController([options.baseUrl, options.userId, options.conversationId], options.userId, () => createChatController(options))
export { useComposer } from './use-composer'
export { useFollowLatest } from './use-follow-latest'
