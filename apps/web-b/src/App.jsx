import { TEST_IDS, TRANSPORT_LABELS, connectionStatusAttributes } from '@chat/client'
import { ChatBubble } from './components/ChatBubble.jsx'
import { MessageForm } from './components/MessageForm.jsx'
import { useFollowLatest } from '@chat/client/react'
import { streamMessageMotia } from './services/api.service.js'
import { useMotiaStreamChat } from './services/motia-stream-client.js'

export function App() {
  const chat = useMotiaStreamChat()
  const { state } = chat
  const userId = state.userId || '…'
  const listRef = /** @type {import('react').RefObject<HTMLOListElement | null>} */ (useFollowLatest(state.messages))

  return (
    <div className="page">
      <section className="card">
        <header className="card-head">
          <span className="logo" aria-hidden="true">✦</span>
          <div className="titles">
            <h1>Sunny Chat</h1>
            <p className="tagline">Motia Chat — web-b</p>
          </div>
          <button type="button" className="fresh" data-testid={TEST_IDS.newChat} onClick={chat.newChat}>
            ✚ New chat
          </button>
          <span className={`pill pill-${state.transport}`} {...connectionStatusAttributes(state.transport)}>
            {TRANSPORT_LABELS[state.transport]}
          </span>
        </header>

        {state.error && (
          <div className="oops" data-testid={TEST_IDS.errorBanner} role="alert">
            <strong>Something went wrong.</strong> {state.error.message}
            {state.error.canRetry && (
              <button type="button" data-testid={TEST_IDS.retryButton} onClick={() => void chat.retry()}>
                Retry
              </button>
            )}
          </div>
        )}

        <ol className="thread" ref={listRef} role="log" aria-live="polite" aria-label="Conversation">
          {state.messages.length === 0 && (
            <li className="hello">
              <span className="hello-sun" aria-hidden="true">☀</span>
              Ask anything… I answer as I think, word by word.
            </li>
          )}
          {state.messages.map((message) => (
            <ChatBubble key={message.id} message={message} />
          ))}
        </ol>

        <MessageForm disabled={!state.canSend} onSend={(text) => streamMessageMotia(chat, text)} />
        <footer className="who">web-b · {userId}</footer>
      </section>
    </div>
  )
}
