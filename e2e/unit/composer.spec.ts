import { expect, test } from '@playwright/test'
import { bindComposer, canSubmit, createComposer, isSendKey, TEST_IDS } from '@chat/client'

// The message box's rules without a framework (`composer.ts`; React's `useComposer` and the DOM's `bindComposer` use them).

test('blank text or a chat that cannot send is never sent', () => {
  expect(canSubmit('hello', true)).toBe(true)
  expect(canSubmit('  hello  ', true)).toBe(true)
  expect(canSubmit('', true)).toBe(false)
  expect(canSubmit(' \n\t ', true)).toBe(false)
  expect(canSubmit('hello', false)).toBe(false)
})

test('Enter sends, Shift+Enter is a newline, any other key types', () => {
  expect(isSendKey({ key: 'Enter', shiftKey: false })).toBe(true)
  expect(isSendKey({ key: 'Enter', shiftKey: true })).toBe(false)
  expect(isSendKey({ key: 'a', shiftKey: false })).toBe(false)
})

test('the controller: sends the text as typed, then is empty and focused; busy or blank sends nothing', () => {
  const sent: string[] = []
  let focused = 0
  const composer = createComposer({ onSend: (text) => sent.push(text), focus: () => focused++ })
  const states: { value: string; ready: boolean }[] = []
  composer.subscribe((state) => states.push(state))

  composer.setValue('  hi there ')
  expect(composer.getState()).toEqual({ value: '  hi there ', ready: false })
  expect(composer.submit()).toBe(false)
  composer.setCanSend(true)
  expect(composer.getState().ready).toBe(true)
  expect(composer.keyDown({ key: 'Enter', shiftKey: true })).toBe(false)
  expect(sent).toEqual([])
  expect(composer.keyDown({ key: 'Enter', shiftKey: false })).toBe(true)
  expect(sent).toEqual(['  hi there '])
  expect(composer.getState()).toEqual({ value: '', ready: false })
  expect(focused).toBe(1)

  composer.setValue('   ')
  expect(composer.submit()).toBe(false)
  // Enter on blank text is still the send key: held back (no newline), nothing sent.
  expect(composer.keyDown({ key: 'Enter', shiftKey: false })).toBe(true)
  expect(sent).toHaveLength(1)
  expect(states).toEqual([
    { value: '  hi there ', ready: false },
    { value: '  hi there ', ready: true },
    { value: '', ready: false },
    { value: '   ', ready: false },
  ])
})

/** An element enough for `bindComposer`: attributes, value, disabled, focus and events (Node's EventTarget). */
class FakeElement extends EventTarget {
  value = ''
  disabled = false
  focused = 0
  readonly attributes = new Map<string, string>()
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value)
  }
  focus() {
    this.focused++
  }
}

const key = (k: string, shiftKey = false) => Object.assign(new Event('keydown', { cancelable: true }), { key: k, shiftKey })

test('bound to elements: test ids set, the button disabled until sendable, Enter and submit send and clear; Shift+Enter does not', () => {
  const input = new FakeElement()
  const button = new FakeElement()
  const form = new FakeElement()
  const sent: string[] = []
  const bound = bindComposer(
    { input: input as unknown as HTMLTextAreaElement, button: button as unknown as HTMLButtonElement, form: form as unknown as HTMLFormElement },
    (text) => sent.push(text),
  )
  expect(input.attributes.get('data-testid')).toBe(TEST_IDS.input)
  expect(button.attributes.get('data-testid')).toBe(TEST_IDS.sendButton)
  expect(button.disabled).toBe(true)

  input.value = 'first'
  input.dispatchEvent(new Event('input'))
  expect(button.disabled).toBe(true)
  bound.setCanSend(true)
  expect(button.disabled).toBe(false)

  const newline = key('Enter', true)
  input.dispatchEvent(newline)
  expect(newline.defaultPrevented).toBe(false)
  const enter = key('Enter')
  input.dispatchEvent(enter)
  expect(enter.defaultPrevented).toBe(true)
  expect(sent).toEqual(['first'])
  expect(input.value).toBe('')
  expect(input.focused).toBe(1)
  expect(button.disabled).toBe(true)

  input.value = 'second'
  input.dispatchEvent(new Event('input'))
  bound.setCanSend(false)
  const submit = new Event('submit', { cancelable: true })
  form.dispatchEvent(submit)
  expect(submit.defaultPrevented).toBe(true)
  expect(sent).toEqual(['first'])
  bound.setCanSend(true)
  form.dispatchEvent(new Event('submit', { cancelable: true }))
  expect(sent).toEqual(['first', 'second'])

  bound.destroy()
  input.value = 'after'
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(key('Enter'))
  expect(sent).toHaveLength(2)
})

test('bound without a form: the button click sends', () => {
  const input = new FakeElement()
  const button = new FakeElement()
  const sent: string[] = []
  bindComposer({ input: input as unknown as HTMLTextAreaElement, button: button as unknown as HTMLButtonElement }, (text) => sent.push(text), true)
  input.value = 'by click'
  input.dispatchEvent(new Event('input'))
  button.dispatchEvent(new Event('click', { cancelable: true }))
  expect(sent).toEqual(['by click'])
})
