import type { FinishReason, ProviderName, SwitchReason } from '@chat/protocol'

const REASONS: Record<SwitchReason, string> = {
  error: 'connection error',
  http_5xx: 'server error',
  rate_limited: 'rate limited',
  timeout: 'timed out',
  stalled: 'stalled',
  truncated: 'answer cut short',
  malformed: 'unreadable answer',
}

/**
 * The words the user reads when an answer moves to another provider. The reason is unknown (null) when the switch
 * was only seen in the answer's item (polling, reload), which does not carry it.
 */
export const switchNoticeText = (from: ProviderName, to: ProviderName, reason: SwitchReason | null): string =>
  reason ? `${from} failed (${REASONS[reason]}) — switched to ${to}` : `${from} failed — switched to ${to}`

/** The words the user reads under a finished answer the provider cut off at its length limit (`finishReason: 'length'`). */
export const cutOffNoticeText = (finishReason: FinishReason | undefined): string | null =>
  finishReason === 'length' ? 'Cut off: this answer reached the length limit and is incomplete.' : null

/**
 * The banner's words after a busy backend's answer (`busy`, 503): while `secondsLeft` counts down, and once the wait
 * is over (0). Never the server's own words.
 */
export const busyNoticeText = (secondsLeft: number): string =>
  secondsLeft > 0 ? `The chat is busy right now. Try again in ${secondsLeft} s.` : 'The chat was busy. Try again now.'

/** The words on a question a busy backend did not take. */
export const BUSY_NOT_SENT_TEXT = 'Not sent: the chat was busy.'
