import type { ChatMessage } from '@chat/protocol'
import { groupIdFor, userMessageIdFor } from '@chat/protocol'
import type { MotiaStream } from 'motia'

export interface NewTurn {
  traceId: string
  userId: string
  conversationId?: string
  message: string
}

/**
 * Stores the user's message and an empty pending answer, so that polling finds the answer from the start. The two
 * writes go out together: they share one Redis connection, so the question's item is created first, and the
 * clients order a question before its answer whatever the order of their frames.
 */
export const recordNewTurn = async (stream: MotiaStream<ChatMessage>, turn: NewTurn): Promise<void> => {
  const now = new Date().toISOString()
  const groupId = groupIdFor(turn.userId)
  const base = { userId: turn.userId, conversationId: turn.conversationId, createdAt: now, updatedAt: now }
  await Promise.all([
    stream.set(groupId, userMessageIdFor(turn.traceId), {
      ...base,
      id: userMessageIdFor(turn.traceId),
      role: 'user',
      content: turn.message,
      status: 'complete',
      provider: null,
    }),
    stream.set(groupId, turn.traceId, {
      ...base,
      id: turn.traceId,
      role: 'assistant',
      content: '',
      status: 'pending',
      provider: null,
    }),
  ])
}

/** Removes a turn `recordNewTurn` stored, for a request that was answered 503 before it could start the answer. */
export const forgetTurn = async (stream: MotiaStream<ChatMessage>, turn: NewTurn): Promise<void> => {
  const groupId = groupIdFor(turn.userId)
  await Promise.all([stream.delete(groupId, userMessageIdFor(turn.traceId)), stream.delete(groupId, turn.traceId)])
}
