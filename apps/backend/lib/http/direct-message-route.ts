import { API_ROUTES, STREAM_NAME, type ChatMessage } from '@chat/protocol'
import { RedisStreamAdapterManager } from '@motiadev/adapter-redis-streams'
import type { Express } from 'express'
import { requestUser } from '../auth/request-session'
import { readMessage } from '../read-message'
import { backendRedis, isRedisOutage } from '../redis/backend-redis'
import { RequestDeadline } from '../redis/request-deadline'
import { unavailable } from './redis-availability'

/**
 * Serves the polling endpoint straight from the stream's Redis store with the server's own Redis client: one HGET
 * per poll, no step invocation, no trace written, and a 503 at once while Redis is away. Only possible when Redis
 * is external (its address is in the environment); otherwise the ChatMessage step answers the same route.
 */
export const registerDirectMessageRoute = (app: Express, env: NodeJS.ProcessEnv = process.env): boolean => {
  const redis = backendRedis(env)
  if (!redis) return false
  const streams = new RedisStreamAdapterManager(redis as ConstructorParameters<typeof RedisStreamAdapterManager>[0])
  const messages = streams.createStream(STREAM_NAME)
  app.get(API_ROUTES.chatMessage.path, (req, res, next) => {
    const deadline = new RequestDeadline()
    requestUser(req.headers)
      .then((userId) =>
        readMessage((groupId, id) => deadline.bound(messages.get(groupId, id) as Promise<ChatMessage | null>), req.params.traceId ?? '', userId),
      )
      .then(({ status, body }) => res.status(status).json(body))
      .catch((error: unknown) => (isRedisOutage(error) ? res.status(503).json(unavailable) : next(error)))
      .finally(() => deadline.done())
  })
  return true
}
