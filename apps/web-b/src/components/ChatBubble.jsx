/** @param {{ message: import('@chat/client').ViewMessage }} props */
export function ChatBubble({ message }) {
  const mine = message.role === 'user'
  return (
    <li
      className={mine ? 'row row-mine' : 'row row-bot'}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
      aria-busy={message.status === 'streaming'}
    >
      {!mine && (
        <span className="avatar" aria-hidden="true">
          ✦
        </span>
      )}
      <div className="stack">
        {message.notice && (
          <div className="switch-note" data-testid="provider-notice">
            ↻ {message.notice.text}
          </div>
        )}
        <p className={`speech speech-${message.status}`}>
          <span data-testid="message-content">{message.content}</span>
          {!mine && message.status === 'streaming' && <span className="typing" aria-hidden="true" />}
        </p>
        {message.cutOffNotice && (
          <small className="cut-short" data-testid="cut-off-notice">
            ✂ {message.cutOffNotice}
          </small>
        )}
        {message.status === 'error' && (
          <small className="uh-oh">{message.error?.message ?? (mine ? 'Not sent.' : 'This answer failed.')}</small>
        )}
        {!mine && message.provider && (
          <small className="via">
            via <span data-testid="provider-badge">{message.provider}</span>
          </small>
        )}
      </div>
    </li>
  )
}
