import { useComposer } from '@chat/client/react'

/** @param {{ canSend: boolean, busy: boolean, onSend: (text: string) => unknown }} props */
export function Composer({ canSend, busy, onSend }) {
  const composer = useComposer(canSend, onSend)
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault()
        composer.submit()
      }}
    >
      <textarea
        ref={composer.inputRef}
        data-testid="chat-input"
        aria-label="Message"
        placeholder={busy ? 'Waiting for the answer…' : 'Type a message (Enter sends, Shift+Enter for a new line)'}
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
  )
}
