import { isWaitingOut, type ChatModel } from './chat-model'
import type { ChatState, Transport, ViewMessage } from './types'

/** The state the UI renders: the model's messages as currently revealed, and what the user may do. */
export const chatSnapshot = (userId: string, model: ChatModel, transport: Transport, view: (m: ViewMessage) => ViewMessage): ChatState => {
  const messages = model.messages.map(view)
  const isStreaming = model.awaiting.length > 0 || messages.some((m) => m.role === 'assistant' && m.status === 'streaming')
  const reachable = transport === 'websocket' || transport === 'polling'
  return { userId, transport, messages, isStreaming, canSend: reachable && !isStreaming && !isWaitingOut(model), error: model.error }
}
