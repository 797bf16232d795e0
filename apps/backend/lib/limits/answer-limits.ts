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

/**
 * Admits a new answer of `userId` against the user's limits, in Redis (so they hold across instances): the token
 * budget left, a slot among the answers in flight, the burst and the sustained rate. Null when admitted (the slot is
 * then held until `answerEnded`). Else the refusal, with the wait until every spent limit allows it, having taken
 * nothing: what the refused request took is given back (a rate that refused it counts the attempt in its own window).
 * All four are asked at once, so an admitted answer costs one round trip to Redis. Throws while Redis is away: no
 * answer is admitted unchecked.
 */
export const admitAnswerWithinLimits = async (userId: string, answerId: string): Promise<LimitRefusal | null> => {
  const { redis, settings, rates, tokens } = await answerLimiters()
  const [spent, slot, ...consumed] = await Promise.allSettled([
    tokens.get(userId),
    takeInFlightSlot(redis, userId, answerId, settings.answersInFlight),
    ...rates.map((rate) => rate.consume(userId)),
  ])
  // A rate's refusal is its RateLimiterRes; any other rejection is Redis failing.
  const outcomes = consumed.map((outcome) => (outcome.status === 'rejected' && outcome.reason instanceof RateLimiterRes ? outcome.reason : null))
  const budgetSpent = spent.status === 'fulfilled' && spent.value !== null && spent.value.consumedPoints >= settings.tokenBudget.points
  const slotTaken = slot.status === 'fulfilled' && slot.value
  const failure = [spent, slot, ...consumed].find((outcome) => outcome.status === 'rejected' && !(outcome.reason instanceof RateLimiterRes))
  if (!failure && !budgetSpent && slotTaken && outcomes.every((outcome) => outcome === null)) return null

  await Promise.all([
    slotTaken ? releaseInFlightSlot(redis, userId, answerId) : null,
    ...rates.map((rate, i) => (consumed[i]!.status === 'fulfilled' ? rate.reward(userId) : null)),
  ]).catch(() => undefined)
  if (failure) throw (failure as PromiseRejectedResult).reason
  if (budgetSpent) return { code: ERROR_CODES.budgetExhausted, retryAfterSeconds: retryAfterSeconds(spent.value!.msBeforeNext) }
  const rateWaits = outcomes.flatMap((outcome) => (outcome ? [outcome.msBeforeNext] : []))
  if (rateWaits.length) return { code: ERROR_CODES.rateLimited, retryAfterSeconds: retryAfterSeconds(Math.max(...rateWaits)) }
  return { code: ERROR_CODES.tooManyInFlight, retryAfterSeconds: IN_FLIGHT_RETRY_AFTER_SECONDS }
}

/**
 * The answer ended (complete, failed or interrupted): its in-flight slot is free, and the provider tokens streamed
 * for it (every attempt's, a failed provider's too) are charged to the user's budget.
 */
export const answerEnded = async (userId: string, answerId: string, tokensStreamed: number): Promise<void> => {
  const { redis, tokens } = await answerLimiters()
  await Promise.all([releaseInFlightSlot(redis, userId, answerId), tokensStreamed > 0 ? tokens.penalty(userId, tokensStreamed) : null])
}

/** Gives back the slot of an answer admitted but never recorded (the request failed after admission). */
export const answerNotRecorded = async (userId: string, answerId: string): Promise<void> => {
  const { redis } = await answerLimiters()
  await releaseInFlightSlot(redis, userId, answerId)
}
