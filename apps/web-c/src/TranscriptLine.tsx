import type { ViewMessage } from '@chat/client'

export function TranscriptLine({ message }: { message: ViewMessage }) {
  const bot = message.role === 'assistant'
  const streaming = message.status === 'streaming'
  return (
    <div
      className={`line ${bot ? 'line-bot' : 'line-you'} line-${message.status}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
      aria-busy={streaming}
    >
      {message.notice && (
        <div className="warn" data-testid="provider-notice">
          ! {message.notice.text}
        </div>
      )}
      <span className="who">
        {bot ? (
          <>
            &lt;{message.provider ? <span data-testid="provider-badge">{message.provider}</span> : 'llm'}&gt;
          </>
        ) : (
          '$'
        )}
      </span>{' '}
      <span className="text" data-testid="message-content">
        {message.content}
      </span>
      {bot && streaming && <span className="cursor" aria-hidden="true" />}
      {message.cutOffNotice && (
        <div className="warn" data-testid="cut-off-notice">
          … {message.cutOffNotice}
        </div>
      )}
      {message.status === 'error' && (
        <div className="err-detail">
          ✗ {message.error?.message ?? (bot ? 'answer failed' : 'not sent')}
        </div>
      )}
    </div>
  )
}
