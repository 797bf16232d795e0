import type { ViewMessage } from '../types'
import { useEffect, useRef } from 'react'

/** How close to the bottom (px) still counts as "reading the latest". */
const PINNED_SLACK = 48

/**
 * Keeps a scrolling message list at its newest line while tokens arrive, unless the reader has scrolled up to read
 * older messages; sending a new message always brings the list back to the bottom. Shared by the four apps.
 */
export const useFollowLatest = <T extends HTMLElement = HTMLElement>(messages: ViewMessage[]) => {
  const ref = useRef<T>(null)
  const pinned = useRef(true)
  const last = messages.at(-1)

  useEffect(() => {
    const list = ref.current
    if (!list) return
    const onScroll = () => {
      pinned.current = list.scrollHeight - list.scrollTop - list.clientHeight < PINNED_SLACK
    }
    list.addEventListener('scroll', onScroll, { passive: true })
    return () => list.removeEventListener('scroll', onScroll)
  }, [])

  useEffect(() => {
    const list = ref.current
    if (!list) return
    if (last?.role === 'user') pinned.current = true
    if (pinned.current) list.scrollTop = list.scrollHeight
  }, [messages.length, last?.role, last?.content, last?.status, last?.notice])

  return ref
}
