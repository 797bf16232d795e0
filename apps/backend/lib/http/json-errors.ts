import type { ErrorRequestHandler } from 'express'
import { errorBody } from './error-response'

/**
 * The last error handler: whatever went wrong in a route, the caller gets a JSON error without a stack trace or a
 * server path (Express's own handler answers HTML with both). Installed after Motia's routes.
 */
export const jsonErrors: ErrorRequestHandler = (error: { status?: number; statusCode?: number }, _req, res, next) => {
  if (res.headersSent) return next(error)
  const status = error.status ?? error.statusCode ?? 500
  if (status >= 500) console.error('[http] request failed:', error)
  res
    .status(status >= 400 && status < 600 ? status : 500)
    .json(status < 500 ? errorBody('bad_request', 'The request could not be handled.') : errorBody('internal_error', 'Something went wrong.'))
}
