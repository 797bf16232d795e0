import { expect, test } from '@playwright/test'
import { followLatest, PINNED_SLACK, type ScrollBox, type ViewMessage } from '@chat/client'

// Follow-latest without a framework (`follow-latest.ts`; React's `useFollowLatest` wraps it), on a list that is
// only numbers: its height grows as the test says, and scrolling is the test setting `scrollTop` and firing `scroll`.

const box = (clientHeight = 400) => {
  const listeners = new Set<() => void>()
  const list = {
    scrollTop: 0,
    scrollHeight: clientHeight,
    clientHeight,
    addEventListener: (_: 'scroll', listener: () => void) => void listeners.add(listener),
    removeEventListener: (_: 'scroll', listener: () => void) => void listeners.delete(listener),
  } satisfies ScrollBox
  return {
    list,
    listeners,
    /** The reader scrolls to `top`. */
    scrollTo(top: number) {
      list.scrollTop = top
      for (const listener of listeners) listener()
    },
    bottom: () => list.scrollHeight - list.clientHeight,
  }
}

const message = (role: ViewMessage['role'], content: string): ViewMessage => ({
  id: `${role}-${content}`,
  traceId: 't',
  role,
  content,
  status: role === 'assistant' ? 'streaming' : 'complete',
  provider: null,
  notice: null,
  endingNotice: null,
  error: null,
})

test('follows the newest line as the answer grows', () => {
  const { list, bottom } = box()
  const follow = followLatest(list)
  for (const height of [600, 900, 1500]) {
    list.scrollHeight = height
    follow.update([message('user', 'q'), message('assistant', `${height}`)])
    expect(list.scrollTop).toBe(height)
    list.scrollTop = bottom() // the browser clamps scrollTop to the bottom
  }
  follow.destroy()
})

test('a reader who scrolled up stays where they are; scrolling back near the bottom follows again', () => {
  const { list, scrollTo, bottom } = box()
  const follow = followLatest(list)
  list.scrollHeight = 2000
  follow.update([message('assistant', 'a')])
  scrollTo(bottom())
  scrollTo(500)
  list.scrollHeight = 2400
  follow.update([message('assistant', 'ab')])
  expect(list.scrollTop).toBe(500)
  // Within the slack of the bottom counts as reading the latest.
  scrollTo(bottom() - PINNED_SLACK + 1)
  list.scrollHeight = 2800
  follow.update([message('assistant', 'abc')])
  expect(list.scrollTop).toBe(2800)
  follow.destroy()
})

test('sending a message brings a reader who scrolled up back to the bottom', () => {
  const { list, scrollTo } = box()
  const follow = followLatest(list)
  list.scrollHeight = 2000
  scrollTo(100)
  follow.update([message('assistant', 'old'), message('user', 'new question')])
  expect(list.scrollTop).toBe(2000)
  follow.destroy()
})

test('destroy removes its scroll listener', () => {
  const { list, listeners } = box()
  const follow = followLatest(list)
  expect(listeners.size).toBe(1)
  follow.destroy()
  expect(listeners.size).toBe(0)
})
