import type { RedisClientType } from 'redis'

/**
 * An entry lapses after this long even if its answer never said it ended (the sweep fails every answer that can no
 * longer finish, and ends its entry; this bounds a leak the sweep could not see).
 */
const ENTRY_LIFETIME_MS = 15 * 60 * 1000

const key = (userId: string) => `chat:limit:in-flight:${userId}`

/**
 * A semaphore, not a rate (rate-limiter-flexible has none): the user's answers in flight are the members of a sorted
 * set, scored by when each lapses. Taking a slot is idempotent per answer id (a re-sent POST counts once), and so is
 * giving it back: the answer's end and the sweep may both do it. Time is Redis's own, the same for every instance.
 * Returns 1 (taken, or already held) or 0 (the user holds `cap`).
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`

/** Takes a slot for answer `answerId` of `userId`; false when the user already has `cap` answers in flight. */
export const takeInFlightSlot = async (redis: RedisClientType, userId: string, answerId: string, cap: number): Promise<boolean> =>
  (await redis.eval(TAKE, { keys: [key(userId)], arguments: [answerId, String(cap), String(ENTRY_LIFETIME_MS)] })) === 1

/** Gives the answer's slot back (nothing when it holds none). */
export const releaseInFlightSlot = async (redis: RedisClientType, userId: string, answerId: string): Promise<void> => {
  await redis.zRem(key(userId), answerId)
}

/** How many answers `userId` has in flight (for specs and logs). */
export const answersInFlight = (redis: RedisClientType, userId: string): Promise<number> => redis.zCard(key(userId))
