import type { RequestHandler } from 'express'

const ALLOW_ORIGIN = 'access-control-allow-origin'

/**
 * Answers CORS for the configured origins only. Motia later stamps `Access-Control-Allow-Origin: *` on every
 * response; this middleware keeps the final say over that header, so other origins get none.
 */
export const corsForOrigins =
  (origins: readonly string[]): RequestHandler =>
  (req, res, next) => {
    const origin = req.headers.origin
    const allowed = origin !== undefined && origins.includes(origin) ? origin : null
    const setHeader = res.setHeader.bind(res)
    res.setHeader = (name, value) => (name.toLowerCase() === ALLOW_ORIGIN ? res : setHeader(name, value))
    res.setHeader('Vary', 'Origin')
    if (allowed) setHeader('Access-Control-Allow-Origin', allowed)
    if (req.method === 'OPTIONS') {
      if (allowed) {
        setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
        setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type')
        setHeader('Access-Control-Max-Age', '600')
      }
      res.status(204).end()
      return
    }
    next()
  }
