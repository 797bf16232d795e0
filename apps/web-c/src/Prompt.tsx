import { useRef, useState } from 'react'

export function Prompt({ disabled, onSend }: { disabled: boolean; onSend: (text: string) => void }) {
  const [line, setLine] = useState('')
  const input = useRef<HTMLTextAreaElement>(null)
  const canSend = !disabled && line.trim() !== ''
  const submit = () => {
    if (!canSend) return
    onSend(line)
    setLine('')
    input.current?.focus()
  }
  return (
    <form
      className="prompt"
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <span className="ps1" aria-hidden="true">
        &gt;
      </span>
      <textarea
        ref={input}
        data-testid="chat-input"
        aria-label="Command"
        rows={1}
        autoFocus
        spellCheck={false}
        value={line}
        onChange={(event) => setLine(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault()
            submit()
          }
        }}
      />
      <button type="submit" data-testid="send-button" disabled={!canSend}>
        Send
      </button>
    </form>
  )
}
