import { useComposer } from '@chat/client/react'

/** @param {{ disabled: boolean, onSend: (text: string) => unknown }} props */
export function MessageForm({ disabled, onSend }) {
  const composer = useComposer(!disabled, onSend)
  return (
    <div className="say">
      <textarea
        ref={composer.inputRef}
        data-testid="chat-input"
        aria-label="Your message"
        placeholder="Say something nice… (Shift+Enter for a new line)"
        autoFocus
        rows={1}
        value={composer.value}
        onChange={composer.onChange}
        onKeyDown={composer.onKeyDown}
      />
      <button type="button" data-testid="send-button" disabled={!composer.ready} onClick={composer.submit}>
        Send
      </button>
    </div>
  )
}
