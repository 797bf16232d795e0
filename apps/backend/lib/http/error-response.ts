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
