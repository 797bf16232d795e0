import { INSTANCE_DEAD_AFTER_SECONDS, INSTANCE_HEARTBEAT_SECONDS } from '@chat/protocol'
import type { RedisClientType } from 'redis'
import { backendRedis, redisForCommands } from './redis/backend-redis'
import { SERVER_ID } from './server-id'

export const heartbeatKey = (serverId: string) => `chat:instance:${serverId}`

/** Renews `serverId`'s heartbeat: a key that lapses INSTANCE_DEAD_AFTER_SECONDS after the last renewal. */
export const beat = (redis: RedisClientType, serverId: string) =>
  redis.set(heartbeatKey(serverId), String(Date.now()), { expiration: { type: 'PX', value: INSTANCE_DEAD_AFTER_SECONDS * 1000 } })

/** Which of `serverIds` have a live heartbeat. */
export const liveInstances = async (redis: RedisClientType, serverIds: string[]): Promise<Set<string>> => {
  if (serverIds.length === 0) return new Set()
  const beats = await redis.mGet(serverIds.map(heartbeatKey))
  return new Set(serverIds.filter((_, index) => beats[index] !== null))
}

let firstBeat: Promise<unknown> = Promise.resolve()

/**
 * The Motia plugin: this instance beats as soon as it reaches Redis, then every INSTANCE_HEARTBEAT_SECONDS for as long
 * as it runs.
 */
export const instanceHeartbeatPlugin = () => {
  if (backendRedis()) {
    firstBeat = redisForCommands().then(
      (redis) =>
        new Promise<void>((resolve) => {
          const renew = () => void beat(redis, SERVER_ID).then(() => resolve(), () => undefined)
          renew()
          setInterval(renew, INSTANCE_HEARTBEAT_SECONDS * 1000).unref()
        }),
    )
  }
  return { workbench: [] }
}

/** Resolves once this instance's heartbeat is in Redis: before, a sweep would take its answers for a dead instance's. */
export const firstHeartbeat = (): Promise<unknown> => firstBeat
