import { RateLimiterRedis } from 'rate-limiter-flexible'
import type { RedisClientType } from 'redis'
import type { Rate } from './rate'

/** A fixed-window limiter on the backend's Redis: refused at once (an error, never a pass) while Redis is away. */
export const redisLimiter = (redis: RedisClientType, keyPrefix: string, { points, seconds }: Rate): RateLimiterRedis =>
  new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix, points, duration: seconds })
