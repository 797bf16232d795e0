import { TEST_IDS } from './ui-contract'

/**
 * The message box's rules, shared by every app (React's `useComposer` and a framework-free page alike): Enter sends,
 * Shift+Enter is a newline, blank text or a chat that cannot send (`ChatState.canSend` false: connecting, an answer
 * under way, a wait) sends nothing, and after sending the box is cleared and keeps the focus.
 */

/** Whether `text` may be sent now: the chat can send and the text is not blank. */
export const canSubmit = (text: string, canSend: boolean): boolean => canSend && text.trim() !== ''

/** The part of a keyboard event the rules read (a DOM `KeyboardEvent` and React's both have it). */
export interface ComposerKey {
  key: string
  shiftKey: boolean
}

/** Whether a key press in the box sends (Enter alone) rather than typing (Shift+Enter: a newline). */
export const isSendKey = (event: ComposerKey): boolean => event.key === 'Enter' && !event.shiftKey

/** What the message box's elements must carry for the specs (`fixtures/ui/chat-page.ts`). */
export const composerAttributes = {
  input: { 'data-testid': TEST_IDS.input },
  button: { 'data-testid': TEST_IDS.sendButton },
} as const

export interface ComposerState {
  /** The box's text. */
  value: string
  /** Whether Send is offered (the send button enabled): `canSubmit(value, canSend)`. */
  ready: boolean
}

export interface Composer {
  getState(): ComposerState
  /** Hears every change of `value` or `ready`. Returns its unsubscribe. */
  subscribe(listener: (state: ComposerState) => void): () => void
  /** The user typed: the box now holds `value`. */
  setValue(value: string): void
  /** The chat's `canSend` changed. */
  setCanSend(canSend: boolean): void
  /** Sends the text when `ready` (hands it to `onSend`, clears the box, focuses it); returns whether it sent. */
  submit(): boolean
  /** A key went down in the box: true when it sent or was held back as the send key (the caller prevents its default: no newline). */
  keyDown(event: ComposerKey): boolean
}

export interface ComposerOptions {
  onSend: (text: string) => unknown
  /** Puts the focus back in the box after sending. */
  focus?: () => void
  canSend?: boolean
  value?: string
}

/** The message box's rules as a small controller: no DOM, no framework (`bindComposer` wires one to elements). */
export const createComposer = (options: ComposerOptions): Composer => {
  let value = options.value ?? ''
  let canSend = options.canSend ?? false
  let state: ComposerState = { value, ready: canSubmit(value, canSend) }
  const listeners = new Set<(state: ComposerState) => void>()
  const update = () => {
    const ready = canSubmit(value, canSend)
    if (state.value === value && state.ready === ready) return
    state = { value, ready }
    for (const listener of listeners) listener(state)
  }
  const submit = () => {
    if (!canSubmit(value, canSend)) return false
    const text = value
    value = ''
    update()
    options.onSend(text)
    options.focus?.()
    return true
  }
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    setValue(next) {
      value = next
      update()
    },
    setCanSend(next) {
      canSend = next
      update()
    },
    submit,
    keyDown(event) {
      if (!isSendKey(event)) return false
      submit()
      return true
    },
  }
}

/** The elements of a message box in a page without a framework. */
export interface ComposerElements {
  input: HTMLTextAreaElement | HTMLInputElement
  button: HTMLButtonElement
  /** A form around them: its submit (the button's click, when it is a submit button) sends. Without one, the button's click does. */
  form?: HTMLFormElement | null
}

export interface BoundComposer extends Pick<Composer, 'getState' | 'setCanSend' | 'submit'> {
  /** Removes the listeners. */
  destroy(): void
}

/**
 * Wires the composer's rules to a page's own elements: sets their test ids, keeps the button's `disabled` in step,
 * sends on Enter (not Shift+Enter), on the form's submit or the button's click, then clears and focuses the box.
 * Call `setCanSend(state.canSend)` with every chat state.
 */
export const bindComposer = ({ input, button, form = null }: ComposerElements, onSend: (text: string) => unknown, canSend = false): BoundComposer => {
  input.setAttribute('data-testid', TEST_IDS.input)
  button.setAttribute('data-testid', TEST_IDS.sendButton)
  const composer = createComposer({ onSend, focus: () => input.focus(), canSend, value: input.value })
  const render = ({ value, ready }: ComposerState) => {
    if (input.value !== value) input.value = value
    button.disabled = !ready
  }
  render(composer.getState())
  const unsubscribe = composer.subscribe(render)
  const onInput = () => composer.setValue(input.value)
  const onKeyDown = (event: Event) => {
    if (composer.keyDown(event as KeyboardEvent)) event.preventDefault()
  }
  const onSubmit = (event: Event) => {
    event.preventDefault()
    composer.submit()
  }
  input.addEventListener('input', onInput)
  input.addEventListener('keydown', onKeyDown)
  const submitter: HTMLElement = form ?? button
  const submitEvent = form ? 'submit' : 'click'
  submitter.addEventListener(submitEvent, onSubmit)
  return {
    getState: composer.getState,
    setCanSend: composer.setCanSend,
    submit: composer.submit,
    destroy() {
      unsubscribe()
      input.removeEventListener('input', onInput)
      input.removeEventListener('keydown', onKeyDown)
      submitter.removeEventListener(submitEvent, onSubmit)
    },
  }
}
