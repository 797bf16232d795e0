import type { ChatMessage } from '@chat/protocol'
import { groupIdFor, userMessageIdFor } from '@chat/protocol'
import type { MotiaStream } from 'motia'
import type { NewTurn } from './conversation'
import type { LlmPrompt } from './providers/llm-provider'

/** One earlier turn of a conversation, as a provider is told it: the user's message and its completed answer. */
export interface HistoryTurn {
  question: string
  answer: string
}

/** A message of a provider request: OpenAI's `messages` and Anthropic's both take this shape for plain text. */
export interface PromptMessage {
  role: 'user' | 'assistant'
  content: string
}

const turnChars = (turn: HistoryTurn): number => turn.question.length + turn.answer.length

/**
 * The earlier turns of `conversationId` among a user's stored items, oldest first: each question whose answer
 * completed, with that answer. A turn whose answer failed, was interrupted, is still under way or came back empty
 * is left out, its question too (a Retry asks it again as a turn of its own), so the messages always alternate.
 * The newest turns whose characters fit in `budgetChars` are kept; older ones are dropped whole.
 */
export const selectHistory = (items: readonly ChatMessage[], conversationId: string, currentTraceId: string, budgetChars: number): HistoryTurn[] => {
  const byId = new Map(items.map((item) => [item.id, item]))
  const turns = items
    .filter((answer) => answer.role === 'assistant' && answer.conversationId === conversationId && answer.id !== currentTraceId)
    .filter((answer) => answer.status === 'complete' && answer.content.trim() !== '')
    .flatMap((answer) => {
      const question = byId.get(userMessageIdFor(answer.id))
      return question?.conversationId === conversationId ? [{ at: question.createdAt, turn: { question: question.content, answer: answer.content } }] : []
    })
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(({ turn }) => turn)
  let left = budgetChars
  let first = turns.length
  while (first > 0 && turnChars(turns[first - 1]!) <= left) {
    first -= 1
    left -= turnChars(turns[first]!)
  }
  return turns.slice(first)
}

/** The earlier turns of the turn's conversation (none for a turn without one), read from the user's stream group. */
export const loadHistory = async (stream: MotiaStream<ChatMessage>, turn: NewTurn, budgetChars: number): Promise<HistoryTurn[]> =>
  turn.conversationId ? selectHistory(await stream.getGroup(groupIdFor(turn.userId)), turn.conversationId, turn.traceId, budgetChars) : []

/**
 * A provider request's messages: the history as alternating user/assistant messages, then the current question,
 * which is always sent whatever the budget. Both provider adapters send exactly these.
 */
export const promptMessages = (prompt: LlmPrompt): PromptMessage[] => [
  ...prompt.history.flatMap((turn): PromptMessage[] => [
    { role: 'user', content: turn.question },
    { role: 'assistant', content: turn.answer },
  ]),
  { role: 'user', content: prompt.text },
]
