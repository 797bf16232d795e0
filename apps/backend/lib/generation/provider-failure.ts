import { PROVIDER_ERROR_REASONS, type SwitchReason } from '@chat/protocol'

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
 * Maps an SDK error to a switch reason. Both SDKs expose the HTTP status as `status` and the error's type from its
 * body as `type`; an error event streamed mid-answer is an APIError without a status, carrying the event's body as
 * `error` (a connection error carries none); both throw their JSON.parse's SyntaxError at an unparseable chunk.
 * The message keeps the provider's own words for the logs; users read words of ours (`@chat/client`).
 */
export const toProviderFailure = (error: unknown): ProviderFailure => {
  if (error instanceof ProviderFailure) return error
  if (error instanceof SyntaxError) return new ProviderFailure('malformed', `unparseable chunk: ${error.message}`, { cause: error })
  const { status, type, error: body } = (error ?? {}) as { status?: unknown; type?: unknown; error?: unknown }
  const message = error instanceof Error ? error.message : String(error)
  const typed = typeof type === 'string' ? PROVIDER_ERROR_REASONS[type] : undefined
  const where = typeof status === 'number' ? `(${status})` : '(in the stream)'
  if (typed) return new ProviderFailure(typed, `${String(type)} ${where}: ${message}`, { cause: error })
  // Anthropic's 529 and OpenAI's 503 ("the engine is currently overloaded") say the same.
  if (status === 529 || status === 503) return new ProviderFailure('overloaded', `overloaded (${status}): ${message}`, { cause: error })
  if (status === 429) return new ProviderFailure('rate_limited', `rate limited (429): ${message}`, { cause: error })
  if (typeof status === 'number' && status >= 500) {
    return new ProviderFailure('http_5xx', `server error (${status}): ${message}`, { cause: error })
  }
  if (status === undefined && body !== undefined && body !== null) {
    return new ProviderFailure('provider_error', `error event ${where}: ${message}`, { cause: error })
  }
  return new ProviderFailure('error', message, { cause: error })
}
