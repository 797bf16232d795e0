import { API_ROUTES } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { configuredKeys, requestUser } from '../lib/auth/request-session'
import { issueSession, newUserId } from '../lib/auth/session-token'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'Session',
  description: 'Issues a signed, expiring session: for a new user the server chooses, or renewed for the holder of a valid one',
  path: API_ROUTES.session.path,
  method: API_ROUTES.session.method,
  emits: [],
  flows: ['chat'],
}

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, never> = async (req, { logger }) => {
  const keys = configuredKeys()
  const renewed = await requestUser(req.headers, keys)
  const session = await issueSession(keys, renewed ?? newUserId())
  logger.info(renewed ? 'Session renewed' : 'Session issued', { userId: session.userId, expiresAt: session.expiresAt })
  return { status: 201, body: session }
}
