import { createClient, type RedisClientOptions, type RedisClientType } from 'redis'
import { REDIS_ANSWER_BOUND_MS, RedisLiveness } from './redis-liveness'

/** Errors of node-redis and ioredis that mean "Redis is away", not a bug. */
const OUTAGE = /RedisDeadlineError|ClientOfflineError|ClientClosedError|SocketClosedUnexpectedlyError|ConnectionTimeoutError|ReconnectStrategyError|The client is (offline|closed)|Socket closed unexpectedly|Connection is closed|ECONNREFUSED|ECONNRESET/

export const isRedisOutage = (error: unknown): boolean =>
  error instanceof Error ? OUTAGE.test(`${error.name} ${error.message}`) : OUTAGE.test(String(error))

/**
 * How this backend reaches the stack's Redis (the one Motia's adapters use), or null when Redis is not external (its
 * address is not in the environment). It reconnects forever, at most 1 s apart.
 */
export const redisOptions = (env: NodeJS.ProcessEnv = process.env): RedisClientOptions | null =>
  env.MOTIA_REDIS_PORT
    ? {
        password: env.MOTIA_REDIS_PASSWORD || undefined,
        socket: {
          host: env.MOTIA_REDIS_HOST ?? '127.0.0.1',
          port: Number(env.MOTIA_REDIS_PORT),
          noDelay: true,
          keepAlive: true,
          reconnectStrategy: (retries: number) => Math.min(100 + retries * 100, 1000),
        },
      }
    : null

const outageEnds = new WeakMap<RedisClientType, number>()

/** When `client` was last back after losing Redis (`Date.now()` time; 0 when it never lost it). */
export const lastOutageEnd = (client: RedisClientType): number => outageEnds.get(client) ?? 0

const firstConnections = new WeakMap<RedisClientType, Promise<unknown>>()

/** A client that logs each outage once, as `name`, and remembers when the last one ended; it connects at once. */
export const connectRedis = (name: string, options: RedisClientOptions): RedisClientType => {
  const client = createClient(options) as RedisClientType
  let lost = false
  client.on('error', (error: Error) => {
    if (!lost) console.error(`[${name}] Redis unreachable (${error.message}); reconnecting`)
    lost = true
  })
  client.on('ready', () => {
    if (lost) {
      console.log(`[${name}] Redis is back`)
      outageEnds.set(client, Date.now())
    }
    lost = false
  })
  const connected = client.connect()
  connected.catch((error: Error) => console.error(`[${name}] could not connect to Redis`, error.message))
  firstConnections.set(client, connected)
  return client
}

let client: RedisClientType | null = null
let liveness: RedisLiveness | null = null

/** The backend's Redis connection is open and Redis answers within REDIS_ANSWER_BOUND_MS (not hung). */
export const redisAnswering = (redis: RedisClientType): boolean => (redis === client && liveness ? liveness.answering : redis.isReady)

/**
 * `backendRedis()` once it first connected (a module's first command would otherwise fail at once, before the
 * connection is made); later outages fail commands at once, as ever. Throws without an external Redis.
 */
export const redisForCommands = async (): Promise<RedisClientType> => {
  const redis = backendRedis()
  if (!redis) throw new Error('the backend needs an external Redis (MOTIA_REDIS_HOST, MOTIA_REDIS_PORT)')
  await firstConnections.get(redis)
  return redis
}

/**
 * The server process's own Redis connection for commands (the polling route, answer claims, conversation owners,
 * heartbeats; its readiness gates requests). Commands fail at once while Redis is away (no offline queue).
 */
export const backendRedis = (env: NodeJS.ProcessEnv = process.env): RedisClientType | null => {
  if (client) return client
  const options = redisOptions(env)
  if (!options) return null
  const connected = connectRedis('redis', { ...options, disableOfflineQueue: true })
  liveness = new RedisLiveness(connected, {
    hung: () => console.error(`[redis] Redis has not answered for ${REDIS_ANSWER_BOUND_MS} ms; requests get 503 until it does`),
    // As after a reconnect: heartbeats may have lapsed while it hung, and no instance is judged by them for a while.
    answering: () => {
      console.log('[redis] Redis answers again')
      outageEnds.set(connected, Date.now())
    },
  })
  liveness.start()
  client = connected
  return client
}
