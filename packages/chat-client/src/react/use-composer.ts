import { useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react'
import { canSubmit, composerAttributes, isSendKey } from '../composer'

/**
 * The message box's rules (`composer.ts`: Enter sends, Shift+Enter is a newline, blank text or a busy chat cannot be
 * sent, after sending the box is cleared and keeps the focus) and test ids, bound to React. Each app spreads the
 * props on its own elements: `inputProps` on the textarea, `buttonProps` on the send button, and `formProps` on a
 * form around them (with a submit button), or else `onClick={submit}` on the button.
 */
export const useComposer = (canSend: boolean, onSend: (text: string) => unknown) => {
  const [value, setValue] = useState('')
  const inputRef = useRef<HTMLTextAreaElement>(null)
  const ready = canSubmit(value, canSend)
  const submit = () => {
    if (!ready) return
    onSend(value)
    setValue('')
    inputRef.current?.focus()
  }
  return {
    ready,
    submit,
    formProps: {
      onSubmit: (event: FormEvent) => {
        event.preventDefault()
        submit()
      },
    },
    inputProps: {
      ref: inputRef,
      ...composerAttributes.input,
      autoFocus: true,
      value,
      onChange: (event: ChangeEvent<HTMLTextAreaElement>) => setValue(event.target.value),
      onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => {
        if (!isSendKey(event)) return
        event.preventDefault()
        submit()
      },
    },
    buttonProps: { ...composerAttributes.button, disabled: !ready },
  }
}
