import { ERROR_CODES } from '@chat/protocol'
import type { Now, Schedule } from './schedule'

/**
 * The refusals after which the chat waits before it asks again, each with a `Retry-After`: a busy backend (`503
 * busy`), a per-user limit on answers (`429`), and, for a new session, too many from one address (`429`).
 */
export type WaitCode =
  | typeof ERROR_CODES.busy
  | typeof ERROR_CODES.rateLimited
  | typeof ERROR_CODES.tooManyInFlight
  | typeof ERROR_CODES.budgetExhausted
  | typeof ERROR_CODES.tooManySessions
/** The refusals of a message (`POST /api/chat/stream`) that hold Retry and sending until their wait is over. */
export type AnswerWaitCode = Exclude<WaitCode, typeof ERROR_CODES.tooManySessions>

/** The wait when a `Retry-After` is missing or not a number of seconds (an HTTP date among them). */
export const DEFAULT_WAIT_SECONDS = 5
/**
 * The longest busy wait shown: a larger `Retry-After` is read as this, so the message box is never held for long. A
 * busy instance frees a slot as soon as any answer ends (and the next POST may reach another instance).
 */
export const MAX_BUSY_WAIT_SECONDS = 60
/**
 * The longest limit wait. A limit is the user's own and lifts exactly when the backend says (its counters, in Redis),
 * and an attempt before then is refused again — and counted against the rate, pushing the end further — so, unlike
 * a busy wait, a limit's wait is held for all of it, however long, and its words name the real time left (in hours
 * and minutes when long): Send is never offered with "Try again now" while the server would still refuse. The longest
 * a limit lasts is the day's token budget (86,400 s); a larger header is held a day, after which the server says again.
 */
export const MAX_LIMIT_WAIT_SECONDS = 24 * 60 * 60

const MAX_WAIT_SECONDS: Record<WaitCode, number> = {
  [ERROR_CODES.busy]: MAX_BUSY_WAIT_SECONDS,
  [ERROR_CODES.rateLimited]: MAX_LIMIT_WAIT_SECONDS,
  [ERROR_CODES.tooManyInFlight]: MAX_LIMIT_WAIT_SECONDS,
  [ERROR_CODES.budgetExhausted]: MAX_LIMIT_WAIT_SECONDS,
  [ERROR_CODES.tooManySessions]: MAX_LIMIT_WAIT_SECONDS,
}

export const isWaitCode = (code: string | undefined): code is WaitCode => code !== undefined && Object.hasOwn(MAX_WAIT_SECONDS, code)

export const isAnswerWaitCode = (code: string | undefined): code is AnswerWaitCode => isWaitCode(code) && code !== ERROR_CODES.tooManySessions

/** The seconds of a `Retry-After` header's delay form, or null when it is absent or not that form. */
export const retryAfterSeconds = (header: string | null): number | null => {
  const match = /^\s*(\d+)\s*$/.exec(header ?? '')
  return match ? Number(match[1]) : null
}

/** How long the chat waits after a refusal of `code` with `Retry-After` `retryAfter` (seconds or null); 0: no wait. */
export const waitSeconds = (code: string, retryAfter: number | null): number =>
  isWaitCode(code) ? Math.min(retryAfter ?? DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS[code]) : 0

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
