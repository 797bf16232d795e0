import { ERROR_CODES } from '@chat/protocol'
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { redisForCommands } from '../redis/backend-redis'
import { limitSettings } from './limit-settings'
import { retryAfterSeconds } from './rate'
import { redisLimiter } from './redis-limiter'

let limiter: Promise<RateLimiterRedis> | undefined
const sessionLimiter = () =>
  (limiter ??= redisForCommands().then((redis) => redisLimiter(redis, 'chat:limit:new-sessions', limitSettings().newSessionsPerAddress)))

/**
 * Counts a new session for client `address`: null when within the rate, else the refusal with when to ask again.
 * Throws while Redis is away (no session is issued unchecked).
 */
export const admitNewSession = async (address: string): Promise<{ code: typeof ERROR_CODES.tooManySessions; retryAfterSeconds: number } | null> => {
  try {
    await (await sessionLimiter()).consume(address)
    return null
  } catch (outcome) {
    if (!(outcome instanceof RateLimiterRes)) throw outcome
    return { code: ERROR_CODES.tooManySessions, retryAfterSeconds: retryAfterSeconds(outcome.msBeforeNext) }
  }
}
