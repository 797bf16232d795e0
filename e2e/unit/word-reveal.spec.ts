import { revealStep } from '@chat/client'
import { expect, test } from '@playwright/test'
import { TextReveal } from '../../packages/chat-client/src/text-reveal'
import type { ViewMessage } from '@chat/client'
import { manualClock } from './support/manual-clock'

const steps = (from: string, target: string, finishing = false): string[] => {
  const shown = [from]
  while (shown.at(-1) !== target && shown.length < 1000) shown.push(revealStep(shown.at(-1) ?? '', target, finishing))
  return shown.slice(1)
}

test('a small backlog is revealed one word per tick', () => {
  expect(steps('', 'one two three')).toEqual(['one', 'one two', 'one two three'])
  expect(revealStep('one', 'one two  three ')).toBe('one two')
  expect(revealStep('one two', 'one two ')).toBe('one two ')
})

test('a large backlog (a poll brought many words) is caught up within a bounded number of ticks, still growing', () => {
  const target = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' ')
  const shown = steps('', target)
  expect(shown.length).toBeGreaterThan(10)
  expect(shown.length).toBeLessThan(40)
  for (const text of shown) expect(target.startsWith(text)).toBe(true)
})

test('once the answer is final the rest is shown within a few ticks', () => {
  const target = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ')
  const shown = steps('w0', target, true)
  expect(shown.length).toBeLessThanOrEqual(12)
  expect(shown.at(-1)).toBe(target)
})

test('a text that no longer extends what is shown (switch) steps back to the shared prefix, then grows again', () => {
  expect(revealStep('old text', '')).toBe('')
  expect(revealStep('old text', 'new')).toBe('')
  expect(revealStep('same start old', 'same start new')).toBe('same start ')
})

/** A reveal stepping every 5 ms of a manual clock, following answer `A` (streaming, empty so far). */
const revealing = (onStep: (reveal: TextReveal, message: ViewMessage) => void = () => undefined) => {
  const clock = manualClock()
  const message: ViewMessage = { id: 'A', traceId: 'A', role: 'assistant', content: '', status: 'streaming', provider: null, notice: null, endingNotice: null, error: null }
  const reveal: TextReveal = new TextReveal(5, () => message, () => onStep(reveal, message), clock.schedule)
  return { clock, message, reveal }
}

test('TextReveal shows a jump of a followed answer growing at its pace, never ahead of the model, and finishes it exactly', () => {
  const shown: string[] = []
  const { clock, message, reveal } = revealing((reveal, message) => shown.push(reveal.view(message).content))
  message.content = 'one two three four five six seven eight nine ten'
  reveal.follow('A', '')
  // One step per 5 ms of the clock, and only then.
  expect(clock.waiting()).toEqual([5])
  expect(reveal.view(message).content).toBe('')
  clock.advance(5)
  expect(shown).toEqual(['one two'])
  clock.advance(100)
  expect(reveal.view(message).content).toBe(message.content)
  expect(reveal.view(message).status).toBe('streaming')
  expect(shown.length).toBeGreaterThanOrEqual(8)
  expect(clock.pending).toBe(0)
  const before = message.content
  message.content += ' and the rest of it, all at once'
  message.status = 'complete'
  reveal.follow('A', before)
  expect(reveal.view(message)).toEqual({ ...message, content: before, status: 'streaming' })
  clock.advance(100)
  expect(reveal.view(message)).toEqual(message)
  for (const text of shown) expect(message.content.startsWith(text)).toBe(true)
  expect(clock.pending).toBe(0)
  reveal.stop()
})

test('TextReveal released while it is behind (the answer streams live again): the whole text shows at once', () => {
  const { clock, message, reveal } = revealing()
  message.content = 'one two three four five six seven eight nine ten'
  reveal.follow('A', 'one')
  clock.advance(5)
  expect(reveal.view(message).content).not.toBe(message.content)
  message.content += ' eleven'
  reveal.release('A')
  expect(reveal.view(message)).toEqual(message)
  reveal.kick()
  expect(clock.pending).toBe(0)
  reveal.stop()
})

test('TextReveal holds nothing back once there is nothing to reveal (it caught up, or the text never jumped): the next tokens show as they come', () => {
  for (const from of ['', 'one two three']) {
    const { clock, message, reveal } = revealing()
    message.content = 'one two three'
    reveal.follow('A', from)
    clock.advance(100)
    message.content += ' four'
    reveal.kick()
    expect(reveal.view(message).content, `followed from "${from}"`).toBe('one two three four')
    expect(clock.pending).toBe(0)
  }
})
