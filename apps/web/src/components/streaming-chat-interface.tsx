'use client'

import type { ReactNode } from 'react'
import { useComposer, useFollowLatest } from '@chat/client/react'
import { useMotiaStreamChat } from '../hooks/useMotiaStreamChat'
import {
  TEST_IDS,
  TRANSPORT_LABELS,
  connectionStatusAttributes,
  messageAttributes,
  type Session,
  type Transport,
  type ViewMessage,
} from '../lib/motia-stream-client'
import styles from './streaming-chat-interface.module.css'

const APP_TITLE = 'Motia Chat — web'

function ChatMessage({ message }: { message: ViewMessage }) {
  const assistant = message.role === 'assistant'
  const streaming = message.status === 'streaming'
  return (
    <article
      className={`${styles.message} ${assistant ? styles.assistant : styles.user} ${message.status === 'error' ? styles.failed : ''}`}
      {...messageAttributes(message)}
    >
      <div className={styles.meta}>
        {assistant ? 'Assistant' : 'You'}
        {assistant && message.provider && (
          <span className={styles.badge} data-testid={TEST_IDS.providerBadge}>
            {message.provider}
          </span>
        )}
        {assistant && streaming && <span className={styles.writing}>writing…</span>}
      </div>
      {message.notice && (
        <div className={styles.notice} data-testid={TEST_IDS.providerNotice}>
          {message.notice.text}
        </div>
      )}
      <div className={styles.body}>
        <span data-testid={TEST_IDS.messageContent}>{message.content}</span>
        {assistant && streaming && <span className={styles.caret} aria-hidden="true" />}
      </div>
      {message.endingNotice && (
        <div className={styles.cutOff} data-testid={TEST_IDS.endingNotice}>
          {message.endingNotice}
        </div>
      )}
      {message.status === 'error' && (
        <div className={styles.failure}>{message.error?.message ?? (assistant ? 'This answer failed.' : 'Not sent.')}</div>
      )}
    </article>
  )
}

function Frame({ transport, onNewChat, children }: { transport: Transport; onNewChat?: () => void; children: ReactNode }) {
  return (
    <div className={styles.layout}>
      <header className={styles.header}>
        <h1>{APP_TITLE}</h1>
        <div className={styles.actions}>
          <button type="button" className={styles.newChat} data-testid={TEST_IDS.newChat} disabled={!onNewChat} onClick={onNewChat}>
            New chat
          </button>
          <span className={styles.status} {...connectionStatusAttributes(transport)} role="status">
            <span className={styles.dot} aria-hidden="true" />
            {TRANSPORT_LABELS[transport]}
          </span>
        </div>
      </header>
      {children}
    </div>
  )
}

const EMPTY_TEXT = 'Ask anything… answers stream in as they are written.'

/**
 * What the server renders before the browser has the tab's session: the same frame, inert; with `notice`, why the
 * tab has no session yet (the backend refused a new one for now).
 */
export function StreamingChatPlaceholder({ notice = null }: { notice?: string | null }) {
  return (
    <Frame transport="connecting">
      {notice && (
        <div className={styles.error} data-testid={TEST_IDS.errorBanner} role="alert">
          <span>{notice}</span>
        </div>
      )}
      <div className={styles.list}>
        <p className={styles.empty}>{EMPTY_TEXT}</p>
      </div>
      <div className={styles.composer}>
        <textarea aria-label="Message" placeholder="Connecting…" rows={2} disabled />
        <button type="button" disabled>
          Send
        </button>
      </div>
    </Frame>
  )
}

export function StreamingChatInterface({ session }: { session: Session }) {
  const { state, send, retry, newChat } = useMotiaStreamChat(session)
  const composer = useComposer(state.canSend, (text) => void send(text))
  const list = useFollowLatest<HTMLDivElement>(state.messages)
  const composerHint = state.isStreaming ? 'Waiting for the answer…' : 'Message (Enter to send, Shift+Enter for a new line)'

  return (
    <Frame transport={state.transport} onNewChat={newChat}>
      {state.error && (
        <div className={styles.error} data-testid={TEST_IDS.errorBanner} role="alert">
          <span>{state.error.message}</span>
          {state.error.canRetry && (
            <button type="button" data-testid={TEST_IDS.retryButton} onClick={() => void retry()}>
              Retry
            </button>
          )}
        </div>
      )}
      <div className={styles.list} ref={list} role="log" aria-live="polite" aria-label="Conversation">
        {state.messages.length === 0 ? (
          <p className={styles.empty}>{EMPTY_TEXT}</p>
        ) : (
          state.messages.map((message) => <ChatMessage key={message.id} message={message} />)
        )}
      </div>
      <form className={styles.composer} {...composer.formProps}>
        <textarea {...composer.inputProps} aria-label="Message" placeholder={composerHint} rows={2} />
        <button type="submit" {...composer.buttonProps}>
          Send
        </button>
      </form>
      <footer className={styles.footer}>Signed in as {session.userId}</footer>
    </Frame>
  )
}
