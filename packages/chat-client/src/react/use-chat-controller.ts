import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { Session } from '@chat/protocol'
import type { ChatController, ChatState, UseChatResult } from '../types'

const idleState = (userId: string, error: ChatState['error']): ChatState => ({
  userId,
  transport: 'connecting',
  messages: [],
  isStreaming: false,
  canSend: false,
  error,
})

const noop = () => () => undefined

/**
 * Binds a controller made by `create` to React: made in an effect and closed on unmount (StrictMode's double
 * mount makes and closes one extra), recreated when any of `deps` changes, and handed `session` when it is renewed.
 * Until there is a controller, the state is an idle one showing `idleError` (why there is no session yet, say).
 */
export const useChatController = (
  deps: readonly unknown[],
  session: Session | null,
  create: (() => ChatController) | null,
  idleError: ChatState['error'] = null,
): UseChatResult => {
  const userId = session?.userId ?? ''
  const [controller, setController] = useState<ChatController | null>(null)
  useEffect(() => {
    if (!create) return
    const made = create()
    setController(made)
    return () => {
      made.close()
      setController(null)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  useEffect(() => {
    if (controller && session) controller.renewSession(session)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, session?.token])
  const fallback = useMemo(() => idleState(userId, idleError), [userId, idleError])
  const state = useSyncExternalStore(
    controller ? controller.subscribe : noop,
    () => controller?.getState() ?? fallback,
    () => fallback,
  )
  return {
    state,
    send: async (message: string) => controller?.send(message),
    retry: async () => controller?.retry(),
    newChat: () => controller?.newChat(),
  }
}
