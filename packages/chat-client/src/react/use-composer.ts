import { useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react'
import { TEST_IDS } from '../ui-contract'

/**
 * The message box's behaviour and test ids, shared by every app: Enter sends, Shift+Enter is a newline, blank text
 * or a busy chat cannot be sent, and after sending the box is cleared and keeps the focus. Each app spreads the
 * props on its own elements: `inputProps` on the textarea, `buttonProps` on the send button, and `formProps` on a
 * form around them (with a submit button), or else `onClick={submit}` on the button.
 */
export const useComposer = (canSend: boolean, onSend: (text: string) => unknown) => {
  const [value, setValue] = useState('')
  const inputRef = useRef<HTMLTextAreaElement>(null)
  const ready = canSend && value.trim() !== ''
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
      'data-testid': TEST_IDS.input,
      autoFocus: true,
      value,
      onChange: (event: ChangeEvent<HTMLTextAreaElement>) => setValue(event.target.value),
      onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => {
        if (event.key !== 'Enter' || event.shiftKey) return
        event.preventDefault()
        submit()
      },
    },
    buttonProps: { 'data-testid': TEST_IDS.sendButton, disabled: !ready },
  }
}
