import { TEST_IDS, TRANSPORT_LABELS, connectionStatusAttributes } from '@chat/client'
import type { Session } from '@chat/protocol'
import { useMotiaReactChat } from '@chat/client/motia-react'
import { MOTIA_URL } from './config'
import { Prompt } from './Prompt'
import { TranscriptLine } from './TranscriptLine'
import { useFollowLatest } from '@chat/client/react'

/** The chat as a terminal session, subscribed through the official React bindings' MotiaStreamProvider. */
export function Terminal({ session }: { session: Session }) {
  const { state, send, retry, newChat } = useMotiaReactChat({ baseUrl: MOTIA_URL, session })
  const screen = useFollowLatest<HTMLDivElement>(state.messages)

  return (
    <div className="term">
      <div className="term-bar">
        <span className="dots" aria-hidden="true">● ● ●</span>
        <h1 className="title">
          Motia Chat — web-c <span className="user">· {session.userId}</span>
        </h1>
        <button type="button" className="cmd" data-testid={TEST_IDS.newChat} onClick={newChat}>
          [new chat]
        </button>
        <span className={`link link-${state.transport}`} {...connectionStatusAttributes(state.transport)}>
          [{TRANSPORT_LABELS[state.transport]}]
        </span>
      </div>
      <div className="screen" ref={screen} role="log" aria-live="polite" aria-label="Conversation">
        {state.messages.length === 0 && (
          <div className="motd">
            <p className="dim"># Motia Chat — tokens print as they arrive, over a Motia WebSocket stream.</p>
            <p className="dim"># Enter sends · Shift+Enter adds a line.</p>
            <p># Ask anything…</p>
          </div>
        )}
        {state.messages.map((message) => (
          <TranscriptLine key={message.id} message={message} />
        ))}
        {state.error && (
          <p className="err" data-testid={TEST_IDS.errorBanner} role="alert">
            error: {state.error.message}{' '}
            {state.error.canRetry && (
              <button type="button" data-testid={TEST_IDS.retryButton} onClick={() => void retry()}>
                Retry
              </button>
            )}
          </p>
        )}
      </div>
      <Prompt disabled={!state.canSend} onSend={(text) => void send(text)} />
    </div>
  )
}
