import { API_ROUTES } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { configuredKeys, requestUser } from '../lib/auth/request-session'
import { issueSession, newUserId } from '../lib/auth/session-token'
import { loadConfig } from '../lib/config'
import { clientAddress, type PeerRequest } from '../lib/http/client-address'
import { limitedResponse } from '../lib/http/error-response'
import { unavailableResponse } from '../lib/http/redis-availability'
import { admitNewSession } from '../lib/limits/session-limits'
import { RequestDeadline } from '../lib/redis/request-deadline'

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
  if (!renewed) {
    // A new user per session: each is counted against its client address (a renewal keeps its user and is not).
    const address = clientAddress(req as PeerRequest, loadConfig().trustedProxies)
    const deadline = new RequestDeadline()
    const refusal = await deadline.bound(admitNewSession(address)).catch((error: unknown) => {
      logger.warn('Session not issued: the limits cannot be checked', { detail: String(error) })
      return 'unavailable' as const
    })
    deadline.done()
    if (refusal === 'unavailable') return unavailableResponse()
    if (refusal) {
      logger.warn('Session refused: too many new sessions from one address', { address, retryAfter: refusal.retryAfterSeconds })
      return limitedResponse(refusal)
    }
  }
  const session = await issueSession(keys, renewed ?? newUserId())
  logger.info(renewed ? 'Session renewed' : 'Session issued', { userId: session.userId, expiresAt: session.expiresAt })
  return { status: 201, body: session }
}
