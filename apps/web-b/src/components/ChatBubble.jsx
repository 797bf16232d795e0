import { TEST_IDS, messageAttributes } from '@chat/client'

/** @param {{ message: import('@chat/client').ViewMessage }} props */
export function ChatBubble({ message }) {
  const mine = message.role === 'user'
  return (
    <li
      className={mine ? 'row row-mine' : 'row row-bot'}
      {...messageAttributes(message)}
    >
      {!mine && (
        <span className="avatar" aria-hidden="true">
          ✦
        </span>
      )}
      <div className="stack">
        {message.notice && (
          <div className="switch-note" data-testid={TEST_IDS.providerNotice}>
            ↻ {message.notice.text}
          </div>
        )}
        <p className={`speech speech-${message.status}`}>
          <span data-testid={TEST_IDS.messageContent}>{message.content}</span>
          {!mine && message.status === 'streaming' && <span className="typing" aria-hidden="true" />}
        </p>
        {message.endingNotice && (
          <small className="cut-short" data-testid={TEST_IDS.endingNotice}>
            ✂ {message.endingNotice}
          </small>
        )}
        {message.status === 'error' && (
          <small className="uh-oh">{message.error?.message ?? (mine ? 'Not sent.' : 'This answer failed.')}</small>
        )}
        {!mine && message.provider && (
          <small className="via">
            via <span data-testid={TEST_IDS.providerBadge}>{message.provider}</span>
          </small>
        )}
      </div>
    </li>
  )
}
