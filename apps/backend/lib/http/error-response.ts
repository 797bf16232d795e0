import { ERROR_CODES, type ErrorBody } from '@chat/protocol'

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } })

export const errorResponse = (status: number, code: string, message: string) => ({
  status,
  body: errorBody(code, message),
})

/** How long a client told `busy` waits before it asks again: answers last seconds, and slots free up as they end. */
export const BUSY_RETRY_AFTER_SECONDS = 5

/** `503 busy` with `Retry-After`: this backend instance streams as many answers as it can; nothing was recorded. */
export const busyResponse = () => ({
  status: 503,
  headers: { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) },
  body: errorBody(ERROR_CODES.busy, `The chat is busy right now. Try again in ${BUSY_RETRY_AFTER_SECONDS} s.`),
})

const LIMIT_MESSAGES: Record<string, string> = {
  [ERROR_CODES.rateLimited]: 'Too many messages in a short time.',
  [ERROR_CODES.tooManyInFlight]: 'Too many answers in progress at once; wait for one to finish.',
  [ERROR_CODES.budgetExhausted]: "The day's answer allowance is used up.",
  [ERROR_CODES.tooManySessions]: 'Too many new sessions from this address.',
}

/** `429` with `Retry-After`: a limit refused the request, which recorded nothing. */
export const limitedResponse = ({ code, retryAfterSeconds }: { code: string; retryAfterSeconds: number }) => ({
  status: 429,
  headers: { 'Retry-After': String(retryAfterSeconds) },
  body: errorBody(code, `${LIMIT_MESSAGES[code] ?? 'Over a limit.'} Try again in ${retryAfterSeconds} s.`),
})
