import type { Transport, ViewMessage } from './types'

/**
 * The `data-testid`s every app renders and the suite's page object finds (`fixtures/ui/chat-page.ts`). A message
 * (`message`) holds `messageContent`, `providerBadge`, `providerNotice` and `endingNotice`.
 */
export const TEST_IDS = {
  input: 'chat-input',
  sendButton: 'send-button',
  newChat: 'new-chat',
  message: 'chat-message',
  messageContent: 'message-content',
  providerBadge: 'provider-badge',
  providerNotice: 'provider-notice',
  endingNotice: 'ending-notice',
  connectionStatus: 'connection-status',
  errorBanner: 'error-banner',
  retryButton: 'retry-button',
} as const

/**
 * The attributes of a message's outer element in every app; the specs read its role, status and answer id here. All
 * strings, and `data-trace-id` only when the message has one, so the one object serves both a React element (spread
 * it) and a DOM element (`applyAttributes`): `aria-busy` is `"true"` while the answer streams, `"false"` otherwise.
 */
export const messageAttributes = (message: ViewMessage): MessageAttributes => ({
  'data-testid': TEST_IDS.message,
  'data-role': message.role,
  'data-status': message.status,
  ...(message.traceId === null ? {} : { 'data-trace-id': message.traceId }),
  'aria-busy': message.status === 'streaming' ? 'true' : 'false',
})

export interface MessageAttributes {
  'data-testid': typeof TEST_IDS.message
  'data-role': ViewMessage['role']
  'data-status': ViewMessage['status']
  /** Absent while the message has no answer id (a user message whose POST failed). */
  'data-trace-id'?: string
  'aria-busy': 'true' | 'false'
}

/** The attributes of the connection status in every app: the transport in force, for the specs (all strings). */
export const connectionStatusAttributes = (transport: Transport): ConnectionStatusAttributes => ({
  'data-testid': TEST_IDS.connectionStatus,
  'data-transport': transport,
})

export interface ConnectionStatusAttributes {
  'data-testid': typeof TEST_IDS.connectionStatus
  'data-transport': Transport
}

/** Every attribute name `messageAttributes` and `connectionStatusAttributes` may set. */
export const CONTRACT_ATTRIBUTES = ['data-testid', 'data-role', 'data-status', 'data-trace-id', 'aria-busy', 'data-transport'] as const

/**
 * Sets `attributes` (e.g. `messageAttributes(message)`) on a DOM element, and removes any other contract attribute
 * (`CONTRACT_ATTRIBUTES`) it holds: an element reused for a later state never keeps one that no longer applies.
 */
export const applyAttributes = (element: Element, attributes: object): void => {
  const given = attributes as Record<string, string | undefined>
  for (const name of CONTRACT_ATTRIBUTES) if (given[name] === undefined && element.hasAttribute(name)) element.removeAttribute(name)
  for (const [name, value] of Object.entries(given)) if (value !== undefined) element.setAttribute(name, value)
}
