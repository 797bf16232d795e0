/**
 * The next step of revealing `target` word by word after `shown`: the shown text plus the next word. When `target`
 * no longer extends `shown` (a provider switch cleared it), the target is shown at once.
 */
export const revealNextWord = (shown: string, target: string): string => {
  if (!target.startsWith(shown)) return target
  const rest = target.slice(shown.length)
  const next = /^\s*\S+/.exec(rest)
  return next ? shown + next[0] : target
}
