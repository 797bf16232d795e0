import { useRef, useState } from 'react'

/** @param {{ canSend: boolean, busy: boolean, onSend: (text: string) => unknown }} props */
export function Composer({ canSend, busy, onSend }) {
  const [text, setText] = useState('')
  const input = useRef(/** @type {HTMLTextAreaElement | null} */ (null))
  const ready = canSend && text.trim().length > 0

  const submit = () => {
    if (!ready) return
    onSend(text)
    setText('')
    input.current?.focus()
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <textarea
        ref={input}
        data-testid="chat-input"
        aria-label="Message"
        placeholder={busy ? 'Waiting for the answer…' : 'Type a message (Enter sends, Shift+Enter for a new line)'}
        rows={2}
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault()
            submit()
          }
        }}
      />
      <button type="submit" data-testid="send-button" disabled={!ready}>
        Send
      </button>
    </form>
  )
}
