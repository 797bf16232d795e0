import { useRef, useState } from 'react'

/** @param {{ disabled: boolean, onSend: (text: string) => unknown }} props */
export function MessageForm({ disabled, onSend }) {
  const [draft, setDraft] = useState('')
  const field = useRef(/** @type {HTMLTextAreaElement | null} */ (null))
  const blank = draft.trim() === ''

  const send = () => {
    if (disabled || blank) return
    onSend(draft)
    setDraft('')
    field.current?.focus()
  }

  return (
    <div className="say">
      <textarea
        ref={field}
        data-testid="chat-input"
        aria-label="Your message"
        placeholder="Say something nice… (Shift+Enter for a new line)"
        autoFocus
        rows={1}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.shiftKey) return
          event.preventDefault()
          send()
        }}
      />
      <button
        type="button"
        data-testid="send-button"
        disabled={disabled || blank}
        onClick={send}
      >
        Send
      </button>
    </div>
  )
}
