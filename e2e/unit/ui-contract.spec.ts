import { expect, test } from '@playwright/test'
import { applyAttributes, connectionStatusAttributes, messageAttributes, TEST_IDS, type ViewMessage } from '@chat/client'

// The contract's attributes are DOM-ready: every value a string (what `setAttribute` takes and the specs read), none
// undefined, the same object spread on a React element.

const answer = (over: Partial<ViewMessage> = {}): ViewMessage => ({
  id: 'a1',
  traceId: 'a1',
  role: 'assistant',
  content: '',
  status: 'streaming',
  provider: null,
  notice: null,
  endingNotice: null,
  error: null,
  ...over,
})

test("a message's attributes: strings only, aria-busy \"true\" while it streams, no data-trace-id while it has none", () => {
  expect(messageAttributes(answer())).toEqual({
    'data-testid': TEST_IDS.message,
    'data-role': 'assistant',
    'data-status': 'streaming',
    'data-trace-id': 'a1',
    'aria-busy': 'true',
  })
  expect(messageAttributes(answer({ status: 'complete' }))['aria-busy']).toBe('false')
  const unsent = messageAttributes(answer({ id: 'x:user', traceId: null, role: 'user', status: 'error' }))
  expect(Object.keys(unsent)).not.toContain('data-trace-id')
  for (const value of Object.values(unsent)) expect(typeof value).toBe('string')
})

test("the connection status's attributes: strings", () => {
  expect(connectionStatusAttributes('polling')).toEqual({ 'data-testid': TEST_IDS.connectionStatus, 'data-transport': 'polling' })
})

test('applyAttributes sets them on an element and drops a contract attribute that no longer applies', () => {
  const attributes = new Map<string, string>([['class', 'bubble']])
  const element = {
    setAttribute: (name: string, value: unknown) => {
      expect(typeof value, name).toBe('string')
      attributes.set(name, value as string)
    },
    removeAttribute: (name: string) => void attributes.delete(name),
    hasAttribute: (name: string) => attributes.has(name),
  } as unknown as Element
  applyAttributes(element, messageAttributes(answer()))
  expect(Object.fromEntries(attributes)).toEqual({
    class: 'bubble',
    'data-testid': 'chat-message',
    'data-role': 'assistant',
    'data-status': 'streaming',
    'data-trace-id': 'a1',
    'aria-busy': 'true',
  })
  applyAttributes(element, messageAttributes(answer({ traceId: null, status: 'error' })))
  expect(attributes.has('data-trace-id')).toBe(false)
  expect(attributes.get('aria-busy')).toBe('false')
  expect(attributes.get('class')).toBe('bubble')
})
