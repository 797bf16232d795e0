/**
 * Answer ids named by clients that a request is recording right now. The stored item makes a repeated POST a
 * duplicate once it is written; this covers the window before, when two copies of one POST arrive together.
 * In-process only: like the sweep, it assumes one backend process running warm steps (lib/warm-steps). With a
 * process per step (`MOTIA_WARM_STEPS=off`), two copies arriving within that window could both be recorded.
 */
const claimed = new Set<string>()

/** Claims `answerId` of `userId`; returns its release, or null when another request holds it. */
export const claimAnswerId = (userId: string, answerId: string): (() => void) | null => {
  const key = `${userId}/${answerId}`
  if (claimed.has(key)) return null
  claimed.add(key)
  return () => claimed.delete(key)
}
