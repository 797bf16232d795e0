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

/** The attributes of a message's outer element in every app; the specs read its role, status and answer id here. */
export const messageAttributes = (message: ViewMessage) => ({
  'data-testid': TEST_IDS.message,
  'data-role': message.role,
  'data-status': message.status,
  'data-trace-id': message.traceId ?? undefined,
  'aria-busy': message.status === 'streaming',
})

/** The attributes of the connection status in every app: the transport in force, for the specs. */
export const connectionStatusAttributes = (transport: Transport) => ({
  'data-testid': TEST_IDS.connectionStatus,
  'data-transport': transport,
})
