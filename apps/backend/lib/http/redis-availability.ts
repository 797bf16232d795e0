import { API_ROUTES, ERROR_CODES } from '@chat/protocol'
import express, { type Express, type RequestHandler } from 'express'
import { createClient, type RedisClientType } from 'redis'
import { errorBody } from './error-response'

/** Errors of node-redis and ioredis that mean "Redis is away", not a bug. */
const OUTAGE = /ClientOfflineError|ClientClosedError|SocketClosedUnexpectedlyError|ConnectionTimeoutError|ReconnectStrategyError|The client is (offline|closed)|Socket closed unexpectedly|Connection is closed|ECONNREFUSED|ECONNRESET/

export const isRedisOutage = (error: unknown): boolean =>
  error instanceof Error ? OUTAGE.test(`${error.name} ${error.message}`) : OUTAGE.test(String(error))

let client: RedisClientType | null = null

/**
 * The server process's own Redis connection (the polling route reads through it; its readiness gates requests).
 * Commands fail at once while Redis is away (no offline queue); it reconnects forever, at most 1 s apart, and logs
 * each outage once. Null when Redis is not external (its address is not in the environment).
 */
export const backendRedis = (env: NodeJS.ProcessEnv = process.env): RedisClientType | null => {
  if (client || !env.MOTIA_REDIS_PORT) return client
  const created: RedisClientType = createClient({
    disableOfflineQueue: true,
    password: env.MOTIA_REDIS_PASSWORD || undefined,
    socket: {
      host: env.MOTIA_REDIS_HOST ?? '127.0.0.1',
      port: Number(env.MOTIA_REDIS_PORT),
      noDelay: true,
      keepAlive: true,
      reconnectStrategy: (retries) => Math.min(100 + retries * 100, 1000),
    },
  })
  let lost = false
  created.on('error', (error: Error) => {
    if (!lost) console.error(`[redis-availability] Redis unreachable (${error.message}); answering 503 until it is back`)
    lost = true
  })
  created.on('ready', () => {
    if (lost) console.log('[redis-availability] Redis is back')
    lost = false
  })
  created.connect().catch((error: Error) => console.error('[redis-availability] could not connect to Redis', error.message))
  client = created
  return client
}

export const unavailable = errorBody(ERROR_CODES.unavailable, 'The chat store is unreachable for a moment. Try again in a few seconds.')

/**
 * While Redis is away, the chat routes answer `503 { error: { code: 'unavailable' } }` at once instead of
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
    if (redis.isReady) return next()
    res.status(503).set('Retry-After', '2').json(unavailable)
  }
  // The chat routes, which need the store; a session or the health check does not.
  const gated = express.Router()
  gated.post(API_ROUTES.chatStream.path, gate)
  gated.get(API_ROUTES.chatMessage.path, gate)
  app.use(gated)
}
