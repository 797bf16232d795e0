import { useComposer } from '@chat/client/react'

export function Prompt({ disabled, onSend }: { disabled: boolean; onSend: (text: string) => void }) {
  const composer = useComposer(!disabled, onSend)
  return (
    <form className="prompt" {...composer.formProps}>
      <span className="ps1" aria-hidden="true">
        &gt;
      </span>
      <textarea {...composer.inputProps} aria-label="Command" rows={1} spellCheck={false} />
      <button type="submit" {...composer.buttonProps}>
        Send
      </button>
    </form>
  )
}
