import { randomBytes } from 'node:crypto'
import { userIdSchema, type Session } from '@chat/protocol'
import { errors, jwtVerify, SignJWT } from 'jose'

const ALGORITHM = 'HS256'
const ISSUER = 'motia-chat'
const AUDIENCE = 'motia-chat'

export interface SessionKeys {
  /** The HMAC key, from `SESSION_SECRET`, imported once (given as bytes, jose imports it again for every token). */
  secret: Promise<CryptoKey>
  ttlSeconds: number
}

export const sessionKeys = (secret: string, ttlSeconds: number): SessionKeys => ({
  secret: crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
  ttlSeconds,
})

/** A userId no one chose but the server: 128 random bits. */
export const newUserId = (): string => `u_${randomBytes(16).toString('base64url')}`

/** Signs a session for `userId`, valid `ttlSeconds` from `now`. */
export const issueSession = async (keys: SessionKeys, userId: string, now = new Date()): Promise<Session> => {
  const issuedAt = Math.floor(now.getTime() / 1000)
  const expiresAt = issuedAt + keys.ttlSeconds
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await keys.secret)
  return { token, userId, expiresAt: new Date(expiresAt * 1000).toISOString() }
}

export interface VerifiedSession {
  userId: string
  /** When the token expires (`exp`), in milliseconds since the epoch. */
  expiresAt: number
}

/** The user a token was issued for and when it expires, or null for anything else: forged, expired, malformed. */
export const verifySession = async (keys: SessionKeys, token: string): Promise<VerifiedSession | null> => {
  try {
    const { payload } = await jwtVerify(token, await keys.secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE })
    const userId = userIdSchema.safeParse(payload.sub)
    return userId.success && typeof payload.exp === 'number' ? { userId: userId.data, expiresAt: payload.exp * 1000 } : null
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null
    throw error
  }
}

/** The userId a token was issued for, or null for anything else: forged, expired, another algorithm, malformed. */
export const verifySessionToken = async (keys: SessionKeys, token: string): Promise<string | null> =>
  (await verifySession(keys, token))?.userId ?? null
