import { TEST_IDS, messageAttributes, type ViewMessage } from '@chat/client'

export function TranscriptLine({ message }: { message: ViewMessage }) {
  const bot = message.role === 'assistant'
  const streaming = message.status === 'streaming'
  return (
    <div
      className={`line ${bot ? 'line-bot' : 'line-you'} line-${message.status}`}
      {...messageAttributes(message)}
    >
      {message.notice && (
        <div className="warn" data-testid={TEST_IDS.providerNotice}>
          ! {message.notice.text}
        </div>
      )}
      <span className="who">
        {bot ? (
          <>
            &lt;{message.provider ? <span data-testid={TEST_IDS.providerBadge}>{message.provider}</span> : 'llm'}&gt;
          </>
        ) : (
          '$'
        )}
      </span>{' '}
      <span className="text" data-testid={TEST_IDS.messageContent}>
        {message.content}
      </span>
      {bot && streaming && <span className="cursor" aria-hidden="true" />}
      {message.endingNotice && (
        <div className="warn" data-testid={TEST_IDS.endingNotice}>
          … {message.endingNotice}
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
