import { API_ROUTES, STREAM_NAME, type ChatMessage } from '@chat/protocol'
import { RedisStreamAdapterManager } from '@motiadev/adapter-redis-streams'
import type { Express } from 'express'
import { requestUser } from '../auth/request-session'
import { readMessage } from '../read-message'

/**
 * Serves the polling endpoint straight from the stream's Redis store, in the server process. Every Motia API step
 * spawns a process (~145 ms, ~15 requests/s on two cores), so pollers would starve everyone else; this read costs
 * one Redis HGET. Only possible when Redis is external (its address is in the environment); otherwise the
 * ChatMessage step answers the same route.
 */
export const registerDirectMessageRoute = (app: Express, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (!env.MOTIA_REDIS_PORT) return false
  const streams = new RedisStreamAdapterManager({
    socket: { host: env.MOTIA_REDIS_HOST ?? '127.0.0.1', port: Number(env.MOTIA_REDIS_PORT) },
    password: env.MOTIA_REDIS_PASSWORD || undefined,
  })
  const messages = streams.createStream(STREAM_NAME)
  app.get(API_ROUTES.chatMessage.path, (req, res, next) => {
    requestUser(req.headers)
      .then((userId) => readMessage((groupId, id) => messages.get(groupId, id) as Promise<ChatMessage | null>, req.params.traceId ?? '', userId))
      .then(({ status, body }) => res.status(status).json(body))
      .catch(next)
  })
  return true
}
