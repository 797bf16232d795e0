import { useEffect, useRef } from 'react'

/**
 * Keeps a scrolling list pinned to its newest line while messages grow.
 * @param {import('@chat/client').ViewMessage[]} messages
 */
export const useFollowLatest = (messages) => {
  const ref = useRef(/** @type {HTMLOListElement | null} */ (null))
  const latest = messages.at(-1)
  useEffect(() => {
    const list = ref.current
    if (list) list.scrollTop = list.scrollHeight
  }, [messages.length, latest?.content])
  return ref
}
