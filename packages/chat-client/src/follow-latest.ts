import type { ViewMessage } from './types'

/** How close to the bottom (px) still counts as "reading the latest". */
export const PINNED_SLACK = 48

/** What follow-latest reads and moves of a scrolling list (an `HTMLElement` has it all). */
export interface ScrollBox {
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  addEventListener(type: 'scroll', listener: () => void, options?: { passive?: boolean }): void
  removeEventListener(type: 'scroll', listener: () => void): void
}

/** Whether a list scrolled so is at (or within `PINNED_SLACK` of) its bottom. */
export const isPinned = (box: Pick<ScrollBox, 'scrollTop' | 'scrollHeight' | 'clientHeight'>): boolean =>
  box.scrollHeight - box.scrollTop - box.clientHeight < PINNED_SLACK

export interface FollowLatest {
  /** The messages changed (call it after they are rendered): scrolls to the bottom unless the reader scrolled up; a new user message always does. */
  update(messages: readonly ViewMessage[]): void
  /** Removes the scroll listener. */
  destroy(): void
}

/**
 * Keeps a scrolling message list at its newest line while tokens arrive, unless the reader has scrolled up to read
 * older messages; sending a new message always brings the list back to the bottom. No framework: React's
 * `useFollowLatest` wraps it.
 */
export const followLatest = (list: ScrollBox): FollowLatest => {
  let pinned = true
  const onScroll = () => {
    pinned = isPinned(list)
  }
  list.addEventListener('scroll', onScroll, { passive: true })
  return {
    update(messages) {
      if (messages.at(-1)?.role === 'user') pinned = true
      if (pinned) list.scrollTop = list.scrollHeight
    },
    destroy: () => list.removeEventListener('scroll', onScroll),
  }
}
