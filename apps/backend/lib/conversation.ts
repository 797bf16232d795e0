import type { ChatMessage } from '@chat/protocol'
import { groupIdFor, userMessageIdFor } from '@chat/protocol'
import type { MotiaStream } from 'motia'

export interface NewTurn {
  traceId: string
  userId: string
  conversationId?: string
  message: string
}

/** Stores the user's message and an empty pending answer, so that polling finds the answer from the start. */
export const recordNewTurn = async (stream: MotiaStream<ChatMessage>, turn: NewTurn): Promise<void> => {
  const now = new Date().toISOString()
  const groupId = groupIdFor(turn.userId)
  const base = { userId: turn.userId, conversationId: turn.conversationId, createdAt: now, updatedAt: now }
  await stream.set(groupId, userMessageIdFor(turn.traceId), {
    ...base,
    id: userMessageIdFor(turn.traceId),
    role: 'user',
    content: turn.message,
    status: 'complete',
    provider: null,
  })
  await stream.set(groupId, turn.traceId, {
    ...base,
    id: turn.traceId,
    role: 'assistant',
    content: '',
    status: 'pending',
    provider: null,
  })
}
