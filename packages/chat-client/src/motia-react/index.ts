import { useMotiaStream } from '@motiadev/stream-client-react'
import { createChatController } from '../chat-controller'
import { useChatController } from '../react/use-chat-controller'
import type { ChatClientOptions, UseChatResult } from '../types'

/**
 * The chat of `options.userId` on the Motia Stream of the enclosing `<MotiaStreamProvider>` from the official React
 * bindings; same behaviour as `useChat` (sync-gated connection, polling fallback, logs).
 */
export const useMotiaReactChat = (options: ChatClientOptions): UseChatResult => {
  const { stream } = useMotiaStream()
  // The provider makes a new Stream whenever it remounts (twice under StrictMode): follow it.
  return useChatController(
    [options.baseUrl, options.userId, stream],
    options.userId,
    stream ? () => createChatController(options, { stream }) : null,
  )
}
