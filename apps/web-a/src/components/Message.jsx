/** @param {{ message: import('@chat/client').ViewMessage }} props */
export function Message({ message }) {
  const streaming = message.status === 'streaming'
  return (
    <article
      className={`message message-${message.role} message-${message.status}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
    >
      <header className="message-meta">
        <span>{message.role === 'user' ? 'You' : 'Assistant'}</span>
        {message.role === 'assistant' && message.provider && (
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
        {streaming && message.role === 'assistant' && <span className="caret" aria-label="streaming" />}
      </div>
    </article>
  )
}
