import { useMotiaStream } from '@motiadev/stream-client-react'
import { createChatController } from '../chat-controller'
import type { ChatClientOptions, UseChatResult } from '../types'
import { useChatController } from '../react/use-chat-controller'

/**
 * The chat of `options.session`'s user on the Stream of the enclosing `<MotiaStreamProvider>` (official React
 * bindings), read through the package's `useMotiaStream()` context hook; same controller and behaviour as `useChat`.
 * The provider must offer the session's subprotocols (`socketProtocols(session.token)`).
 *
 * Not `useStreamGroup` + `useStreamEventHandler`: the group hook hands out its subscription one render late (a
 * ref read during render, non-null only after the first sync re-renders), so event listeners would attach after
 * the sync and lose the first events, it cannot tell the join's sync from an update, and it hides the raw frames
 * whose same-millisecond updates the official subscription drops.
 */
export const useMotiaReactChat = (options: ChatClientOptions): UseChatResult => {
  const { stream } = useMotiaStream()
  // The provider makes a new Stream whenever it remounts (twice under StrictMode) or its protocols change (a renewed
  // session's token): follow it.
  return useChatController(
    [options.baseUrl, options.session.token, stream],
    options.session,
    stream ? () => createChatController(options, { stream }) : null,
  )
}
