import { useComposer } from '@chat/client/react'

/** @param {{ canSend: boolean, busy: boolean, onSend: (text: string) => unknown }} props */
export function Composer({ canSend, busy, onSend }) {
  const composer = useComposer(canSend, onSend)
  const hint = busy ? 'Waiting for the answer…' : 'Type a message (Enter sends, Shift+Enter for a new line)'
  return (
    <form className="composer" {...composer.formProps}>
      <textarea {...composer.inputProps} aria-label="Message" placeholder={hint} rows={2} />
      <button type="submit" {...composer.buttonProps}>
        Send
      </button>
    </form>
  )
}
