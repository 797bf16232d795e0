import type { SwitchReason } from '@chat/protocol'

/** A provider that could not finish an answer, with the reason reported in `provider_switch`. */
export class ProviderFailure extends Error {
  constructor(
    readonly reason: SwitchReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ProviderFailure'
  }
}

/**
 * Maps an SDK error to a switch reason: both SDKs expose the HTTP status as `status`, and throw the SyntaxError of
 * their JSON.parse at a stream chunk they cannot parse.
 */
export const toProviderFailure = (error: unknown): ProviderFailure => {
  if (error instanceof ProviderFailure) return error
  if (error instanceof SyntaxError) return new ProviderFailure('malformed', `unparseable chunk: ${error.message}`, { cause: error })
  const status = (error as { status?: unknown } | null)?.status
  const message = error instanceof Error ? error.message : String(error)
  if (status === 429) return new ProviderFailure('rate_limited', `rate limited (429): ${message}`, { cause: error })
  if (typeof status === 'number' && status >= 500) {
    return new ProviderFailure('http_5xx', `server error (${status}): ${message}`, { cause: error })
  }
  return new ProviderFailure('error', message, { cause: error })
}
