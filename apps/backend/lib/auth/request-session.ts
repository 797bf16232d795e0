import { BEARER_PROTOCOL_PREFIX, UNAUTHORIZED } from '@chat/protocol'
import { errorResponse } from '../http/error-response'
import { loadConfig } from '../config'
import { sessionKeys, verifySession, verifySessionToken, type SessionKeys, type VerifiedSession } from './session-token'

type Headers = Record<string, string | string[] | undefined>

export const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)

/** The token of `Authorization: Bearer <token>`, if any. */
export const bearerToken = (headers: Headers): string | null => {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(first(headers.authorization)?.trim() ?? '')
  return match?.[1] ?? null
}

/** The token a socket offered as its `bearer.<token>` subprotocol, if any. */
export const protocolToken = (headers: Headers): string | null => {
  const offered = (first(headers['sec-websocket-protocol']) ?? '').split(',').map((part) => part.trim())
  const bearer = offered.find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX))
  return bearer ? bearer.slice(BEARER_PROTOCOL_PREFIX.length) : null
}

let keys: SessionKeys | undefined
/** The keys of this process's configuration (read once: every request asks for them). */
export const configuredKeys = (): SessionKeys => {
  if (keys) return keys
  const config = loadConfig()
  return (keys = sessionKeys(config.sessionSecret, config.sessionTtlSeconds))
}

const userOf = async (token: string | null, using: SessionKeys): Promise<string | null> => (token ? verifySessionToken(using, token) : null)

/** The user a request's bearer token names, or null. */
export const requestUser = (headers: Headers, using: SessionKeys = configuredKeys()): Promise<string | null> => userOf(bearerToken(headers), using)

/** The session a socket's `bearer.<token>` subprotocol holds (its user, its expiry), or null. */
export const socketSession = async (headers: Headers, using: SessionKeys = configuredKeys()): Promise<VerifiedSession | null> => {
  const token = protocolToken(headers)
  return token ? verifySession(using, token) : null
}

export const unauthorized = () => errorResponse(401, UNAUTHORIZED, 'A valid session is required (Authorization: Bearer <token> from POST /api/session).')
