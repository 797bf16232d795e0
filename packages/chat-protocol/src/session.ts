import { z } from 'zod'

/** `POST /api/session`: a signed, expiring token for a user the server chose. */
export const sessionSchema = z.object({
  token: z.string().min(1),
  userId: z.string(),
  /** ISO time after which the token is refused. */
  expiresAt: z.string(),
})
export type Session = z.infer<typeof sessionSchema>

/** How every chat request carries the session: `Authorization: Bearer <token>`. */
export const bearer = (token: string): string => `Bearer ${token}`

/**
 * How a browser socket carries the session: browsers cannot set headers on a WebSocket, so the token travels as the
 * second offered subprotocol (`bearer.<token>`, kept out of URLs and their logs). The server answers with the first,
 * `SOCKET_PROTOCOL`, so the token is never echoed.
 */
export const SOCKET_PROTOCOL = 'motia-chat.v1'
export const BEARER_PROTOCOL_PREFIX = 'bearer.'
export const socketProtocols = (token: string): string[] => [SOCKET_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${token}`]

/** The error code of a request without a valid session (401). */
export const UNAUTHORIZED = 'unauthorized'
/**
 * The close code of a socket whose session expired: the server closes it at the session's `exp`, so a socket never
 * outlives the token it was opened with; the client opens a new one with its renewed session.
 */
export const SESSION_EXPIRED_CLOSE_CODE = 4401
