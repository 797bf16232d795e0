import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '@chat/protocol'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { errorBody } from './error-response'
import { nestsDeeperThan } from './json-depth'

class TooDeep extends Error {}

/**
 * A POST must say `application/json`: a cross-site page can only send a body without a CORS preflight as
 * `text/plain`, form or multipart, so this keeps every write behind the preflight that CORS answers.
 */
export const jsonPostsOnly: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || req.is('application/json')) return next()
  res.status(415).json(errorBody('unsupported_media_type', 'A POST body must be application/json.'))
}

/**
 * Parses every request body as JSON, capped at 64 KiB and MAX_JSON_DEPTH levels of nesting, before Motia's own parsers
 * run (they allow 1 GB, answer malformed JSON with an HTML stack trace, and a large body would crash the step process
 * it is handed to). A body nested thousands deep parsed, but a recursive walk of it later (a copy, a validation)
 * overflowed the stack: a 500.
 */
export const jsonBody = express.json({
  limit: MAX_BODY_BYTES,
  type: () => true,
  verify: (_req, _res, body) => {
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw new TooDeep()
  },
})

export const jsonBodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(error)
  switch (error.type) {
    case 'entity.too.large':
      res.status(413).json(errorBody('payload_too_large', `The request body must be at most ${MAX_BODY_BYTES} bytes.`))
      return
    case 'entity.parse.failed':
      res.status(400).json(errorBody('invalid_json', 'The request body is not valid JSON.'))
      return
    case 'entity.verify.failed':
      res.status(400).json(errorBody('invalid_json', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`))
      return
    case 'charset.unsupported':
    case 'encoding.unsupported':
      res.status(415).json(errorBody('unsupported_encoding', 'The request body must be UTF-8 JSON.'))
      return
    default:
      res.status(error.status && error.status < 500 ? error.status : 400).json(errorBody('bad_request', 'The request could not be read.'))
  }
}
