import { useComposer } from '@chat/client/react'

/** @param {{ disabled: boolean, onSend: (text: string) => unknown }} props */
export function MessageForm({ disabled, onSend }) {
  const composer = useComposer(!disabled, onSend)
  return (
    <div className="say">
      <textarea
        {...composer.inputProps}
        aria-label="Your message"
        placeholder="Say something nice… (Shift+Enter for a new line)"
        rows={1}
      />
      <button type="button" {...composer.buttonProps} onClick={composer.submit}>
        Send
      </button>
    </div>
  )
}
