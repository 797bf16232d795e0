import { useEffect, useRef } from 'react'
import { Message } from './Message.jsx'

/** @param {{ messages: import('@chat/client').ViewMessage[] }} props */
export function MessageList({ messages }) {
  const end = useRef(/** @type {HTMLDivElement | null} */ (null))
  const last = messages.at(-1)
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' })
  }, [messages.length, last?.content])

  return (
    <main className="messages" aria-live="polite">
      {messages.length === 0 ? (
        <p className="empty">Ask anything… the answer streams in word by word.</p>
      ) : (
        messages.map((message) => <Message key={message.id} message={message} />)
      )}
      <div ref={end} />
    </main>
  )
}
