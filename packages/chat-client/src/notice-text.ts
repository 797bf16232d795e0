import { ERROR_CODES, type FinishReason, type ProviderName, type SwitchReason } from '@chat/protocol'
import type { AnswerWaitCode } from './retry-wait'

const REASONS: Record<SwitchReason, string> = {
  error: 'connection error',
  http_5xx: 'server error',
  rate_limited: 'rate limited',
  timeout: 'timed out',
  stalled: 'stalled',
  truncated: 'answer cut short',
  malformed: 'unreadable answer',
  overloaded: 'overloaded',
  provider_error: 'provider error',
  unexpected_ending: 'unsupported answer',
}

/**
 * The words the user reads when an answer moves to another provider. The reason is unknown (null) when the switch
 * was only seen in the answer's item (polling, reload), which does not carry it.
 */
export const switchNoticeText = (from: ProviderName, to: ProviderName, reason: SwitchReason | null): string =>
  reason ? `${from} failed (${REASONS[reason]}) — switched to ${to}` : `${from} failed — switched to ${to}`

const ENDINGS: Record<FinishReason, string | null> = {
  stop: null,
  length: 'Cut off: this answer reached the length limit and is incomplete.',
  content_filter: "Stopped by the provider's content filter: this answer is incomplete.",
  refusal: 'The model declined to answer this.',
}

/**
 * The words the user reads under a finished answer that did not simply end (`finishReason` other than `stop`): cut
 * off at the length limit, stopped by a content filter, or declined by the model. Null for an ordinary ending.
 */
export const endingNoticeText = (finishReason: FinishReason | undefined): string | null => (finishReason ? ENDINGS[finishReason] : null)

const ERRORS: Record<string, string> = {
  [ERROR_CODES.allProvidersFailed]: 'No provider could answer this time. Try again.',
  [ERROR_CODES.interrupted]: 'The answer was interrupted. Try again.',
  [ERROR_CODES.unavailable]: 'The chat is unavailable for a moment. Try again in a few seconds.',
  [ERROR_CODES.conversationForbidden]: 'This conversation belongs to someone else. Start a new chat.',
}

/**
 * The words the user reads for a failed answer or request, by its code: ours, never the server's or a provider's
 * (their detail is in the server's log, under the answer's traceId).
 */
export const errorNoticeText = (code: string): string => ERRORS[code] ?? 'Something went wrong. Try again.'

/**
 * A wait in words, never shorter than the time left: seconds under a minute ("42 s"), then whole minutes rounded up
 * ("3 min"), from an hour on hours and minutes ("5 h 12 min", "2 h").
 */
export const waitDurationText = (seconds: number): string => {
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
}

/**
 * What the user reads after each refusal that makes the chat wait: while the wait runs (`left`: its words), once it
 * is over, and on the question that was not sent. Ours, never the server's.
 */
const WAIT_WORDS: Record<AnswerWaitCode, { waiting: string; over: string; notSent: string }> = {
  [ERROR_CODES.busy]: {
    waiting: 'The chat is busy right now.',
    over: 'The chat was busy.',
    notSent: 'Not sent: the chat was busy.',
  },
  [ERROR_CODES.rateLimited]: {
    waiting: "You're sending messages faster than the chat allows.",
    over: 'You were sending messages faster than the chat allows.',
    notSent: 'Not sent: too many messages in a short time.',
  },
  [ERROR_CODES.tooManyInFlight]: {
    waiting: 'Wait for an answer to finish: you have as many answers in progress as the chat allows.',
    over: 'You had as many answers in progress as the chat allows.',
    notSent: 'Not sent: too many answers in progress.',
  },
  [ERROR_CODES.budgetExhausted]: {
    waiting: "You've used today's answer allowance.",
    over: "Today's answer allowance has renewed.",
    notSent: "Not sent: today's answer allowance is used up.",
  },
}

/** The banner's words after a refusal of `code` (a busy backend, a limit): while `secondsLeft` counts down, and at 0. */
export const waitNoticeText = (code: AnswerWaitCode, secondsLeft: number): string =>
  secondsLeft > 0 ? `${WAIT_WORDS[code].waiting} Try again in ${waitDurationText(secondsLeft)}.` : `${WAIT_WORDS[code].over} Try again now.`

/** The words on a question a refusal of `code` did not take. */
export const notSentText = (code: AnswerWaitCode): string => WAIT_WORDS[code].notSent

/** The banner's words after a busy backend's answer (`busy`, 503): while `secondsLeft` counts down, and at 0. */
export const busyNoticeText = (secondsLeft: number): string => waitNoticeText(ERROR_CODES.busy, secondsLeft)

/** The words on a question a busy backend did not take. */
export const BUSY_NOT_SENT_TEXT = notSentText(ERROR_CODES.busy)

/**
 * The page's words while it may not have a session yet (`429 too_many_sessions` to `POST /api/session`): it asks
 * again by itself once `secondsLeft` is over (0: asking now).
 */
export const sessionWaitNoticeText = (secondsLeft: number): string =>
  secondsLeft > 0
    ? `Too many new chat sessions were started from your network. Connecting again in ${waitDurationText(secondsLeft)}.`
    : 'Too many new chat sessions were started from your network. Connecting again…'
