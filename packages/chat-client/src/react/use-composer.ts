import { useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react'

/**
 * The message box's behaviour, shared by every app: Enter sends, Shift+Enter is a newline, blank text or a busy
 * chat cannot be sent, and after sending the box is cleared and keeps the focus. Each app keeps its own markup.
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
    value,
    ready,
    inputRef,
    submit,
    onChange: (event: ChangeEvent<HTMLTextAreaElement>) => setValue(event.target.value),
    onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key !== 'Enter' || event.shiftKey) return
      event.preventDefault()
      submit()
    },
  }
}
