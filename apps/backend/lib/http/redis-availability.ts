import { API_ROUTES, ERROR_CODES } from '@chat/protocol'
import express, { type Express, type RequestHandler } from 'express'
import { backendRedis, isRedisOutage, redisAnswering } from '../redis/backend-redis'
import { errorBody } from './error-response'

export const unavailable = errorBody(ERROR_CODES.unavailable, 'The chat store is unreachable for a moment. Try again in a few seconds.')
/** How long a client told `unavailable` waits before it asks again: Redis reconnects at most 1 s apart. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2
/** `503 unavailable` with `Retry-After`, as a step returns it. */
export const unavailableResponse = () => ({ status: 503, headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) }, body: unavailable })

/**
 * While Redis is away or hung (connected, not answering: `redisAnswering`), the chat routes answer `503 { error: { code: 'unavailable' } }` at once instead of
 * spawning a step that would fail (or wait) on it. An unhandled rejection caused by the outage inside Motia (its
 * un-awaited trace and log writes) is logged instead of ending the process; any other still ends it.
 */
export const unavailableWhileRedisIsDown = (app: Express): void => {
  const redis = backendRedis()
  process.on('unhandledRejection', (reason) => {
    if (!isRedisOutage(reason)) throw reason
  })
  if (!redis) return
  const gate: RequestHandler = (_req, res, next) => {
    if (redisAnswering(redis)) return next()
    res.status(503).set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS)).json(unavailable)
  }
  // The chat routes, which need the store; a session or the health check does not.
  const gated = express.Router()
  gated.post(API_ROUTES.chatStream.path, gate)
  gated.get(API_ROUTES.chatMessage.path, gate)
  app.use(gated)
}
