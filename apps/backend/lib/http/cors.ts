import type { RequestHandler } from 'express'

const PREFIX = 'access-control-'

/**
 * CORS for the configured origins only. Motia stamps its own permissive `Access-Control-*` headers (`*`,
 * credentials, private network) on every response; this middleware keeps the only say over that family of headers,
 * so a foreign origin gets none at all and a listed one gets exactly what the apps need (bearer tokens, no cookies,
 * `Retry-After` readable).
 */
export const corsForOrigins =
  (origins: readonly string[]): RequestHandler =>
  (req, res, next) => {
    const origin = req.headers.origin
    const allowed = origin !== undefined && origins.includes(origin) ? origin : null
    const setHeader = res.setHeader.bind(res)
    res.setHeader = (name, value) => (name.toLowerCase().startsWith(PREFIX) ? res : setHeader(name, value))
    res.setHeader('Vary', 'Origin')
    if (allowed) {
      setHeader('Access-Control-Allow-Origin', allowed)
      // A page may read only the headers named here: when to try again, after a 503 (busy, unavailable).
      setHeader('Access-Control-Expose-Headers', 'Retry-After')
    }
    if (req.method === 'OPTIONS') {
      if (allowed) {
        setHeader('Access-Control-Allow-Methods', 'GET, POST')
        setHeader('Access-Control-Allow-Headers', 'authorization, content-type')
        setHeader('Access-Control-Max-Age', '600')
      }
      res.status(204).end()
      return
    }
    next()
  }
