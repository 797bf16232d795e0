import type { ViewMessage } from '../types'
import { useEffect, useRef } from 'react'
import { followLatest, type FollowLatest } from '../follow-latest'

/**
 * Keeps a scrolling message list at its newest line while tokens arrive, unless the reader has scrolled up to read
 * older messages; sending a new message always brings the list back to the bottom (`follow-latest.ts`, bound to
 * React: put the returned ref on the list). Shared by the four apps.
 */
export const useFollowLatest = <T extends HTMLElement = HTMLElement>(messages: ViewMessage[]) => {
  const ref = useRef<T>(null)
  const follower = useRef<FollowLatest | null>(null)
  const last = messages.at(-1)

  useEffect(() => {
    const list = ref.current
    if (!list) return
    const made = followLatest(list)
    follower.current = made
    return () => {
      made.destroy()
      follower.current = null
    }
  }, [])

  useEffect(() => {
    follower.current?.update(messages)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [messages.length, last?.role, last?.content, last?.status, last?.notice])

  return ref
}
