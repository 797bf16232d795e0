/**
 * The answers this backend instance is streaming (or about to): admitted when a POST is accepted, let go when the
 * generation ends. Past the bound a POST is refused with `503 busy` and `Retry-After` before anything is recorded,
 * so no answer ever waits unseen in the event queue behind the generations running (the queue runs as many at once
 * as the bound admits). The bound is per instance: the balancer spreads users over the instances.
 */
const admitted = new Set<string>()

/** Answer ids are unique per user. */
export const admissionKey = (answer: { userId: string; traceId: string }) => `${answer.userId}/${answer.traceId}`

/**
 * Admits answer `key`: its release, for a request that ends without recording the answer; null when the instance
 * already streams `limit` answers. A re-sent POST of an answer this instance streams takes nothing (its release does
 * nothing): the generation lets it go when it ends (`answerDone`).
 */
export const admitAnswer = (key: string, limit: number): (() => void) | null => {
  if (admitted.has(key)) return () => undefined
  if (admitted.size >= limit) return null
  admitted.add(key)
  return () => admitted.delete(key)
}

export const answerDone = (key: string): void => {
  admitted.delete(key)
}
