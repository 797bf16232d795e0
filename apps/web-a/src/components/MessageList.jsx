import { useFollowLatest } from '@chat/client/react'
import { Message } from './Message.jsx'

/** @param {{ messages: import('@chat/client').ViewMessage[] }} props */
export function MessageList({ messages }) {
  const list = useFollowLatest(messages)
  return (
    <main className="messages" ref={list} role="log" aria-live="polite" aria-label="Conversation">
      {messages.length === 0 ? (
        <div className="empty">
          <span className="empty-mark" aria-hidden="true">◆</span>
          <p>Ask anything…</p>
          <p className="empty-hint">The answer streams in word by word, live over a Motia WebSocket stream.</p>
        </div>
      ) : (
        messages.map((message) => <Message key={message.id} message={message} />)
      )}
    </main>
  )
}
