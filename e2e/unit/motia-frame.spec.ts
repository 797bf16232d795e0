import { parseMotiaFrame, type ChatMessage } from '@chat/protocol'
import { expect, test } from '@playwright/test'

const envelope = { timestamp: 1, streamName: 'chat-messages', groupId: 'user:u' }
const item = (id: string): ChatMessage => ({
  id,
  userId: 'u',
  role: 'assistant',
  content: 'text',
  status: 'streaming',
  provider: 'openai',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
})

test('a frame is read from its JSON text or from the object Motia already parsed, the same either way', () => {
  const frame = { ...envelope, event: { type: 'event', event: { type: 'token', data: { traceId: 'T', seq: 0, token: 'Hi', provider: 'openai' } } } }
  expect(parseMotiaFrame(JSON.stringify(frame))).toEqual(frame)
  expect(parseMotiaFrame(frame)).toEqual(frame)
})

test("a sync keeps every item that fits the contract, even beside one that does not; an item's own sync is a list of one", () => {
  const sync = parseMotiaFrame({ ...envelope, event: { type: 'sync', data: [item('a'), { id: 'broken' }, item('b')] } })
  expect(sync?.event).toEqual({ type: 'sync', data: [item('a'), item('b')] })
  expect(parseMotiaFrame({ ...envelope, id: 'a', event: { type: 'sync', data: item('a') } })?.event).toEqual({ type: 'sync', data: [item('a')] })
})

test('item changes and the four chat events come typed', () => {
  const update = parseMotiaFrame({ ...envelope, id: 'a', event: { type: 'update', data: item('a') } })
  expect(update?.event.type === 'update' && update.event.data.status).toBe('streaming')
  const complete = parseMotiaFrame({ ...envelope, event: { type: 'event', event: { type: 'complete', data: { traceId: 'T', content: 'x', provider: 'anthropic', tokenCount: 1, finishReason: 'stop' } } } })
  expect(complete?.event.type === 'event' && complete.event.event.type === 'complete' && complete.event.event.data.tokenCount).toBe(1)
})

test("what the chat does not read is null: not JSON, another shape, a broken item, Motia's own error event for a refused join", () => {
  expect(parseMotiaFrame('not json')).toBeNull()
  expect(parseMotiaFrame({ type: 'join', data: {} })).toBeNull()
  expect(parseMotiaFrame({ ...envelope, event: { type: 'update', data: { id: 'a' } } })).toBeNull()
  expect(parseMotiaFrame({ ...envelope, event: { type: 'event', event: { type: 'error', data: { code: 'STREAM_ACCESS_DENIED', message: 'Access denied' } } } })).toBeNull()
  expect(parseMotiaFrame({ ...envelope, event: { type: 'event', event: { type: 'token', data: { traceId: 'T', seq: -1, token: 'x', provider: 'openai' } } } })).toBeNull()
})
