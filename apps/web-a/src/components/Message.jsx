import { TEST_IDS, messageAttributes } from '@chat/client'

/** @param {{ message: import('@chat/client').ViewMessage }} props */
export function Message({ message }) {
  const assistant = message.role === 'assistant'
  const streaming = message.status === 'streaming'
  return (
    <article
      className={`message message-${message.role} message-${message.status}`}
      {...messageAttributes(message)}
    >
      <header className="message-meta">
        <span>{assistant ? 'Assistant' : 'You'}</span>
        {assistant && message.provider && (
          <span className="badge" data-testid={TEST_IDS.providerBadge}>
            {message.provider}
          </span>
        )}
      </header>
      {message.notice && (
        <p className="notice" data-testid={TEST_IDS.providerNotice}>
          {message.notice.text}
        </p>
      )}
      <div className="bubble">
        <span data-testid={TEST_IDS.messageContent}>{message.content}</span>
        {streaming && assistant && <span className="caret" aria-hidden="true" />}
      </div>
      {message.endingNotice && (
        <p className="message-cut-off" data-testid={TEST_IDS.endingNotice}>
          {message.endingNotice}
        </p>
      )}
      {message.status === 'error' && (
        <p className="message-failure">{message.error?.message ?? (assistant ? 'This answer failed.' : 'Not sent.')}</p>
      )}
    </article>
  )
}
