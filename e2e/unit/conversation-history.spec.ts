import type { ChatMessage } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { promptMessages, selectHistory } from '../../apps/backend/lib/conversation-history'

const CONVERSATION = 'conversation-under-test'
let clock = 0

/** A stored turn: the question item and its answer item, `clock` seconds in. */
const turn = (id: string, question: string, answer: string, status: ChatMessage['status'] = 'complete', conversationId = CONVERSATION): ChatMessage[] => {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, ++clock)).toISOString()
  const base = { userId: 'u', conversationId, provider: null, createdAt: at, updatedAt: at }
  return [
    { ...base, id: `${id}:user`, role: 'user', content: question, status: 'complete' },
    { ...base, id, role: 'assistant', content: answer, status },
  ]
}

test('the completed turns of the conversation, oldest first, whatever order the items come in', () => {
  const items = [...turn('a', 'q1', 'a1'), ...turn('b', 'q2', 'a2'), ...turn('c', 'q3', 'a3')].reverse()
  expect(selectHistory(items, CONVERSATION, 'now', 1000)).toEqual([
    { question: 'q1', answer: 'a1' },
    { question: 'q2', answer: 'a2' },
    { question: 'q3', answer: 'a3' },
  ])
})

test('left out: other conversations, the current turn, and turns whose answer failed, is under way or came back empty', () => {
  const items = [
    ...turn('a', 'kept', 'yes'),
    ...turn('b', 'other conversation', 'no', 'complete', 'another-conversation'),
    ...turn('c', 'failed', 'partial', 'error'),
    ...turn('d', 'streaming', 'partial', 'streaming'),
    ...turn('e', 'pending', '', 'pending'),
    ...turn('f', 'empty answer', '  '),
    ...turn('now', 'the current question', ''),
  ]
  expect(selectHistory(items, CONVERSATION, 'now', 1000)).toEqual([{ question: 'kept', answer: 'yes' }])
})

test('the budget keeps the newest turns that fit and drops the older ones whole', () => {
  const items = [...turn('a', 'q'.repeat(10), 'a'.repeat(10)), ...turn('b', 'q'.repeat(5), 'a'.repeat(5)), ...turn('c', 'q'.repeat(3), 'a'.repeat(2))]
  const kept = (budget: number) => selectHistory(items, CONVERSATION, 'now', budget).map((t) => t.question.length)
  expect(kept(35)).toEqual([10, 5, 3])
  expect(kept(34)).toEqual([5, 3])
  expect(kept(15)).toEqual([5, 3])
  expect(kept(14)).toEqual([3])
  expect(kept(4)).toEqual([])
  expect(kept(0)).toEqual([])
})

test('an older turn that would fit is still dropped once a newer one did not: the history has no gaps', () => {
  const items = [...turn('a', 'q', 'a'), ...turn('b', 'q'.repeat(50), 'a'), ...turn('c', 'q', 'a')]
  expect(selectHistory(items, CONVERSATION, 'now', 10)).toEqual([{ question: 'q', answer: 'a' }])
})

test('the request messages alternate user and assistant and end with the current question', () => {
  expect(
    promptMessages({
      text: 'third',
      userId: 'u',
      history: [
        { question: 'first', answer: 'one' },
        { question: 'second', answer: 'two' },
      ],
    }),
  ).toEqual([
    { role: 'user', content: 'first' },
    { role: 'assistant', content: 'one' },
    { role: 'user', content: 'second' },
    { role: 'assistant', content: 'two' },
    { role: 'user', content: 'third' },
  ])
  expect(promptMessages({ text: 'alone', userId: 'u', history: [] })).toEqual([{ role: 'user', content: 'alone' }])
})
