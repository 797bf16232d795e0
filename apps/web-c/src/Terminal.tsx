import { TRANSPORT_LABELS } from '@chat/client'
import { useMotiaReactChat } from '@chat/client/motia-react'
import { useEffect, useRef } from 'react'
import { MOTIA_URL } from './config'
import { Prompt } from './Prompt'
import { TranscriptLine } from './TranscriptLine'

/** The chat as a terminal session, subscribed through the official React bindings' MotiaStreamProvider. */
export function Terminal({ userId }: { userId: string }) {
  const { state, send, retry } = useMotiaReactChat({ baseUrl: MOTIA_URL, userId })
  const bottom = useRef<HTMLDivElement>(null)
  const last = state.messages.at(-1)
  useEffect(() => {
    // Recent Chromium returns a promise from scrollIntoView: keep it out of the effect's return value.
    void bottom.current?.scrollIntoView({ block: 'end' })
  }, [state.messages.length, last?.content])

  return (
    <div className="term">
      <div className="term-bar">
        <span className="dots" aria-hidden="true">● ● ●</span>
        <span className="title">motia-chat — web-c — {userId}</span>
        <span className={`link link-${state.transport}`} data-testid="connection-status" data-transport={state.transport}>
          [{TRANSPORT_LABELS[state.transport]}]
        </span>
      </div>
      <div className="screen" aria-live="polite">
        {state.messages.length === 0 && <p className="dim"># Ask anything… tokens print as they arrive.</p>}
        {state.messages.map((message) => (
          <TranscriptLine key={message.id} message={message} />
        ))}
        {state.error && (
          <p className="err" data-testid="error-banner" role="alert">
            error: {state.error.message}{' '}
            <button type="button" data-testid="retry-button" onClick={() => void retry()}>
              Retry
            </button>
          </p>
        )}
        <div ref={bottom} />
      </div>
      <Prompt disabled={!state.canSend} onSend={(text) => void send(text)} />
    </div>
  )
}
