import type { ProviderName, SwitchReason } from '@chat/protocol'

const REASONS: Record<SwitchReason, string> = {
  error: 'connection error',
  http_5xx: 'server error',
  rate_limited: 'rate limited',
  timeout: 'timed out',
  stalled: 'stalled',
}

/** The words the user reads when an answer moves to another provider. */
export const switchNoticeText = (from: ProviderName, to: ProviderName, reason: SwitchReason): string =>
  `${from} failed (${REASONS[reason]}) — switched to ${to}`
