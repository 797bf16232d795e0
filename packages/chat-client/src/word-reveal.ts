/** Ticks a backlog of words is spread over while the answer streams (the next poll is due about then). */
const CATCH_UP_TICKS = 8
/** Once the answer is final the rest is shown within a few ticks: quickly, but still visibly growing. */
const FINISH_TICKS = 4
const FINISH_MIN_WORDS = 3

const commonPrefix = (a: string, b: string): string => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1
  return a.slice(0, i)
}

/**
 * One tick of revealing `target` after `shown`: usually the next word, more when a backlog built up (so the text
 * never lags far behind), the rest within a few ticks when `finishing`. When `target` no longer extends `shown` (a
 * provider switch cleared it), the text steps back to what both share, so every shown text is a prefix of the target.
 */
export const revealStep = (shown: string, target: string, finishing = false): string => {
  if (!target.startsWith(shown)) return commonPrefix(shown, target)
  const words = target.slice(shown.length).match(/\s*\S+/g) ?? []
  if (words.length === 0) return target
  const count = finishing ? Math.max(FINISH_MIN_WORDS, Math.ceil(words.length / FINISH_TICKS)) : Math.ceil(words.length / CATCH_UP_TICKS)
  return count >= words.length ? target : shown + words.slice(0, count).join('')
}
