import { ERROR_CODES } from '@chat/protocol'
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { RedisClientType } from 'redis'
import { redisForCommands } from '../redis/backend-redis'
import { releaseInFlightSlot, takeInFlightSlot } from './answers-in-flight'
import { limitSettings, type LimitSettings } from './limit-settings'
import { retryAfterSeconds } from './rate'
import { redisLimiter } from './redis-limiter'

/** Why an answer was refused, and when the same request may succeed (seconds). */
export interface LimitRefusal {
  code: typeof ERROR_CODES.rateLimited | typeof ERROR_CODES.tooManyInFlight | typeof ERROR_CODES.budgetExhausted
  retryAfterSeconds: number
}

/** Answers last seconds: a user at the in-flight cap is told to ask again after this long. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 5

interface Limiters {
  redis: RedisClientType
  settings: LimitSettings
  rates: RateLimiterRedis[]
  tokens: RateLimiterRedis
}

let limiters: Promise<Limiters> | undefined
const answerLimiters = (): Promise<Limiters> =>
  (limiters ??= redisForCommands().then((redis) => {
    const settings = limitSettings()
    return {
      redis,
      settings,
      rates: [
        redisLimiter(redis, 'chat:limit:answers-burst', settings.answersBurst),
        redisLimiter(redis, 'chat:limit:answers-sustained', settings.answersSustained),
      ],
      tokens: redisLimiter(redis, 'chat:limit:tokens', settings.tokenBudget),
    }
  }))

/** A rate limiter's refusal (its `RateLimiterRes`), or a Redis failure rethrown. */
const refusalOf = (outcome: unknown): RateLimiterRes => {
  if (outcome instanceof RateLimiterRes) return outcome
  throw outcome
}

/**
 * Admits a new answer of `userId` against the user's limits, in Redis (so they hold across instances): the token
 * budget left, a slot among the answers in flight, then the burst and sustained rates. Null when admitted (the slot
 * is then held until `answerEnded`); else the refusal, having taken nothing (the refusing rate counts the attempt in its own
 * window).
 * Throws while Redis is away: no answer is admitted unchecked.
 */
export const admitAnswerWithinLimits = async (userId: string, answerId: string): Promise<LimitRefusal | null> => {
  const { redis, settings, rates, tokens } = await answerLimiters()
  const spent = await tokens.get(userId)
  if (spent && spent.consumedPoints >= settings.tokenBudget.points) {
    return { code: ERROR_CODES.budgetExhausted, retryAfterSeconds: retryAfterSeconds(spent.msBeforeNext) }
  }
  if (!(await takeInFlightSlot(redis, userId, answerId, settings.answersInFlight))) {
    return { code: ERROR_CODES.tooManyInFlight, retryAfterSeconds: IN_FLIGHT_RETRY_AFTER_SECONDS }
  }
  // One after another: a request the burst refuses is not counted against the sustained rate.
  for (const [i, rate] of rates.entries()) {
    const refusal = await rate.consume(userId).then(() => null, refusalOf).catch(async (error: unknown) => {
      await releaseInFlightSlot(redis, userId, answerId).catch(() => undefined)
      throw error
    })
    if (!refusal) continue
    // The wait named is until every rate allows it: a later one, spent too, may end after this one.
    const [later] = await Promise.all([
      Promise.all(rates.slice(i + 1).map((rate) => rate.get(userId))),
      releaseInFlightSlot(redis, userId, answerId),
      ...rates.slice(0, i).map((earlier) => earlier.reward(userId)),
    ])
    const spentLater = later.filter((res, j) => res !== null && res.consumedPoints >= rates[i + 1 + j]!.points) as RateLimiterRes[]
    const waitMs = Math.max(refusal.msBeforeNext, ...spentLater.map((res) => res.msBeforeNext))
    return { code: ERROR_CODES.rateLimited, retryAfterSeconds: retryAfterSeconds(waitMs) }
  }
  return null
}

/**
 * The answer ended (complete, failed or interrupted): its in-flight slot is free, and the provider tokens streamed
 * for it (every attempt's, a failed provider's too) are charged to the user's budget.
 */
export const answerEnded = async (userId: string, answerId: string, tokensStreamed: number): Promise<void> => {
  const { redis, tokens } = await answerLimiters()
  await releaseInFlightSlot(redis, userId, answerId)
  if (tokensStreamed > 0) await tokens.penalty(userId, tokensStreamed)
}

/** Gives back the slot of an answer admitted but never recorded (the request failed after admission). */
export const answerNotRecorded = async (userId: string, answerId: string): Promise<void> => {
  const { redis } = await answerLimiters()
  await releaseInFlightSlot(redis, userId, answerId)
}
