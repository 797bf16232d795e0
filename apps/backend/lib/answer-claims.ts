import { redisForCommands } from './redis/backend-redis'
import { SERVER_ID } from './server-id'

/** Long enough to record a turn; a claim of a request that died with its instance lapses by itself. */
const CLAIM_TTL_MS = 30_000

const claimKey = (userId: string, answerId: string) => `chat:answer-claim:${userId}/${answerId}`

/**
 * Claims `answerId` of `userId` while a request records it: the stored item makes a repeated POST a duplicate once
 * it is written; the claim covers the window before, when two copies of one POST arrive together — at one instance
 * or at two (a `SET NX` in Redis, shared by every instance). Returns its release, or null when another request
 * holds it. Throws while Redis is away.
 */
export const claimAnswerId = async (userId: string, answerId: string): Promise<(() => Promise<void>) | null> => {
  const redis = await redisForCommands()
  const key = claimKey(userId, answerId)
  const taken = await redis.set(key, SERVER_ID, { condition: 'NX', expiration: { type: 'PX', value: CLAIM_TTL_MS } })
  if (taken !== 'OK') return null
  return async () => {
    await redis.del(key).catch(() => undefined)
  }
}
