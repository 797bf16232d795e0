import { useComposer } from '@chat/client/react'

export function Prompt({ disabled, onSend }: { disabled: boolean; onSend: (text: string) => void }) {
  const composer = useComposer(!disabled, onSend)
  return (
    <form
      className="prompt"
      onSubmit={(event) => {
        event.preventDefault()
        composer.submit()
      }}
    >
      <span className="ps1" aria-hidden="true">
        &gt;
      </span>
      <textarea
        ref={composer.inputRef}
        data-testid="chat-input"
        aria-label="Command"
        rows={1}
        autoFocus
        spellCheck={false}
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
