/** @param {{ message: import('@chat/client').ViewMessage }} props */
export function Message({ message }) {
  const assistant = message.role === 'assistant'
  const streaming = message.status === 'streaming'
  return (
    <article
      className={`message message-${message.role} message-${message.status}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
      aria-busy={streaming}
    >
      <header className="message-meta">
        <span>{assistant ? 'Assistant' : 'You'}</span>
        {assistant && message.provider && (
          <span className="badge" data-testid="provider-badge">
            {message.provider}
          </span>
        )}
      </header>
      {message.notice && (
        <p className="notice" data-testid="provider-notice">
          {message.notice.text}
        </p>
      )}
      <div className="bubble">
        <span data-testid="message-content">{message.content}</span>
        {streaming && assistant && <span className="caret" aria-hidden="true" />}
      </div>
      {message.cutOffNotice && (
        <p className="message-cut-off" data-testid="cut-off-notice">
          {message.cutOffNotice}
        </p>
      )}
      {message.status === 'error' && (
        <p className="message-failure">{message.error?.message ?? (assistant ? 'This answer failed.' : 'Not sent.')}</p>
      )}
    </article>
  )
}
