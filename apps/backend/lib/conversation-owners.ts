import { redisForCommands } from './redis/backend-redis'

const ownerKey = (conversationId: string) => `chat:conversation-owner:${conversationId}`

/**
 * Whether `userId` may add a turn to `conversationId`: yes when it is theirs, or new (it becomes theirs, for good);
 * no when another user started it. One `SET NX GET` in Redis: of two first turns arriving together, at one instance
 * or at two, exactly one records itself as the owner. Throws while Redis is away.
 */
export const mayContinueConversation = async (conversationId: string, userId: string): Promise<boolean> => {
  const redis = await redisForCommands()
  const owner = await redis.set(ownerKey(conversationId), userId, { condition: 'NX', GET: true })
  return owner === null || owner === userId
}
