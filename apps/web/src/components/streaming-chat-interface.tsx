'use client'

import { useComposer } from '@chat/client/react'
import { useEffect, useRef } from 'react'
import { useMotiaStreamChat } from '../hooks/useMotiaStreamChat'
import { TRANSPORT_LABELS, type ViewMessage } from '../lib/motia-stream-client'
import styles from './streaming-chat-interface.module.css'

function ChatMessage({ message }: { message: ViewMessage }) {
  const assistant = message.role === 'assistant'
  return (
    <div
      className={`${styles.message} ${assistant ? styles.assistant : styles.user}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-trace-id={message.traceId ?? undefined}
    >
      <div className={styles.meta}>
        {assistant ? 'Assistant' : 'You'}
        {assistant && message.provider && (
          <span className={styles.badge} data-testid="provider-badge">
            {message.provider}
          </span>
        )}
      </div>
      {message.notice && (
        <div className={styles.notice} data-testid="provider-notice">
          {message.notice.text}
        </div>
      )}
      <div className={styles.body}>
        <span data-testid="message-content">{message.content}</span>
        {assistant && message.status === 'streaming' && <span className={styles.caret} aria-label="streaming" />}
      </div>
    </div>
  )
}

export function StreamingChatInterface({ userId }: { userId: string }) {
  const { state, send, retry } = useMotiaStreamChat(userId)
  const composer = useComposer(state.canSend, (text) => void send(text))
  const list = useRef<HTMLDivElement>(null)
  const last = state.messages.at(-1)
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight })
  }, [state.messages.length, last?.content])

  return (
    <div className={styles.layout}>
      <header className={styles.header}>
        <h1>Motia Chat</h1>
        <span className={styles.status} data-testid="connection-status" data-transport={state.transport}>
          {TRANSPORT_LABELS[state.transport]}
        </span>
      </header>
      {state.error && (
        <div className={styles.error} data-testid="error-banner" role="alert">
          <span>{state.error.message}</span>
          <button type="button" data-testid="retry-button" onClick={() => void retry()}>
            Retry
          </button>
        </div>
      )}
      <div className={styles.list} ref={list} aria-live="polite">
        {state.messages.length === 0 ? (
          <p className={styles.empty}>Ask anything… answers stream in as they are written.</p>
        ) : (
          state.messages.map((message) => <ChatMessage key={message.id} message={message} />)
        )}
      </div>
      <form
        className={styles.composer}
        onSubmit={(event) => {
          event.preventDefault()
          composer.submit()
        }}
      >
        <textarea
          ref={composer.inputRef}
          data-testid="chat-input"
          aria-label="Message"
          placeholder="Message (Enter to send, Shift+Enter for a new line)"
          rows={2}
          autoFocus
          value={composer.value}
          onChange={composer.onChange}
          onKeyDown={composer.onKeyDown}
        />
        <button type="submit" data-testid="send-button" disabled={!composer.ready}>
          Send
        </button>
      </form>
      <footer className={styles.footer}>web · {userId}</footer>
    </div>
  )
}
