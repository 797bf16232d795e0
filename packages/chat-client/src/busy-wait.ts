import type { Now, Schedule } from './schedule'

/** The wait when a busy backend's `Retry-After` is missing or not a number of seconds (an HTTP date among them). */
export const DEFAULT_BUSY_WAIT_SECONDS = 5
/** The longest wait shown: a larger `Retry-After` is read as this, so the message box is never held for long. */
export const MAX_BUSY_WAIT_SECONDS = 60

/** The seconds of a `Retry-After` header's delay form, or null when it is absent or not that form. */
export const retryAfterSeconds = (header: string | null): number | null => {
  const match = /^\s*(\d+)\s*$/.exec(header ?? '')
  return match ? Number(match[1]) : null
}

/** How long the chat waits after a `busy` answer, given its `Retry-After` (seconds or null). */
export const busyWaitSeconds = (retryAfter: number | null): number => Math.min(retryAfter ?? DEFAULT_BUSY_WAIT_SECONDS, MAX_BUSY_WAIT_SECONDS)

/**
 * Counts `seconds` down on `schedule`'s clock: `onLeft` hears each whole second left as it changes, 0 last. Each
 * step reads `now`, so a timer that fires late (a throttled tab, a clock moved on) skips to the right second.
 * Returns its cancel.
 */
export const countDown = (seconds: number, schedule: Schedule, now: Now, onLeft: (seconds: number) => void): (() => void) => {
  const end = now() + seconds * 1000
  let cancel: () => void = () => undefined
  const step = () => {
    const left = Math.max(0, Math.ceil((end - now()) / 1000))
    onLeft(left)
    if (left > 0) cancel = schedule(step, end - now() - (left - 1) * 1000)
  }
  if (seconds > 0) cancel = schedule(step, 1000)
  return () => cancel()
}
