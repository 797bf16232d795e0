import { TEST_IDS } from '@chat/client'
import { Composer } from './components/Composer.jsx'
import { ConnectionStatus } from './components/ConnectionStatus.jsx'
import { ErrorBanner } from './components/ErrorBanner.jsx'
import { MessageList } from './components/MessageList.jsx'
import { streamMessageMotia } from './services/api.service.js'
import { useMotiaStreamChat } from './services/motia-stream-client.js'

export function App() {
  const chat = useMotiaStreamChat()
  const { state } = chat
  const userId = state.userId || '…'
  return (
    <div className="shell">
      <header className="topbar">
        <div>
          <h1>Motia Chat — web-a</h1>
          <p className="subtitle">Signed in as {userId}</p>
        </div>
        <div className="topbar-actions">
          <button type="button" className="new-chat" data-testid={TEST_IDS.newChat} onClick={chat.newChat}>
            New chat
          </button>
          <ConnectionStatus transport={state.transport} />
        </div>
      </header>
      {state.error && <ErrorBanner message={state.error.message} canRetry={state.error.canRetry} onRetry={() => void chat.retry()} />}
      <MessageList messages={state.messages} />
      <Composer canSend={state.canSend} busy={state.isStreaming} onSend={(text) => streamMessageMotia(chat, text)} />
    </div>
  )
}
