import type { ViewMessage } from '@chat/client'

export function TranscriptLine({ message }: { message: ViewMessage }) {
  const bot = message.role === 'assistant'
  return (
    <div
      className={`line ${bot ? 'line-bot' : 'line-you'} line-${message.status}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
    >
      {message.notice && (
        <div className="warn" data-testid="provider-notice">
          ! {message.notice.text}
        </div>
      )}
      <span className="who">
        {bot ? (
          <>
            &lt;<span data-testid="provider-badge">{message.provider ?? 'llm'}</span>&gt;
          </>
        ) : (
          '$'
        )}
      </span>{' '}
      <span className="text" data-testid="message-content">
        {message.content}
      </span>
      {bot && message.status === 'streaming' && <span className="cursor" aria-label="streaming" />}
    </div>
  )
}
