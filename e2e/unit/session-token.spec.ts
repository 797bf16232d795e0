import { expect, test } from '@playwright/test'
import { SignJWT } from 'jose'
import { issueSession, newUserId, sessionKeys, verifySession, verifySessionToken } from '../../apps/backend/lib/auth/session-token'

// A session token is believed only as the server signs it: its user, its expiry, its issuer and audience, HS256 with
// the server's key. The api's trust specs send forged and expired tokens to the stack (e2e/api/trust); these are the
// tokens signed with the right key that still must not pass — a claim missing or of the wrong shape — which only the
// key's holder could make.
const SECRET = 'a-unit-spec-secret-of-enough-length'
const keys = sessionKeys(SECRET, 3600)

/** A token signed with the server's own key, its claims as the test says (the server's unless overridden). */
const signed = async (claims: { sub?: string; iss?: string; aud?: string; exp?: number | null }) => {
  const now = Math.floor(Date.now() / 1000)
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(claims.iss ?? 'motia-chat').setAudience(claims.aud ?? 'motia-chat').setIssuedAt(now)
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub)
  if (claims.exp !== null) jwt = jwt.setExpirationTime(claims.exp ?? now + 600)
  return jwt.sign(await keys.secret)
}

test("a session the server issued verifies as its user, expiring when it said; anyone else's token or words don't", async () => {
  const userId = newUserId()
  expect(userId).toMatch(/^u_[A-Za-z0-9_-]{22}$/)
  const now = new Date()
  const session = await issueSession(keys, userId, now)
  const verified = await verifySession(keys, session.token)
  expect(verified).toEqual({ userId, expiresAt: new Date(session.expiresAt).getTime() })
  expect(verified!.expiresAt - now.getTime()).toBeGreaterThan(3599_000)
  expect(await verifySessionToken(keys, session.token)).toBe(userId)
  expect(await verifySessionToken(sessionKeys('another-secret-of-enough-length!!', 3600), session.token), 'another key').toBeNull()
  expect(await verifySessionToken(keys, 'not.a.jwt'), 'malformed').toBeNull()
  expect(await verifySessionToken(keys, ''), 'empty').toBeNull()
})

test("signed with the server's key but not a session: no user, a user id of the wrong shape, no expiry, another issuer or audience", async () => {
  expect(await verifySession(keys, await signed({}))).toBeNull()
  expect(await verifySession(keys, await signed({ sub: 'user:u_1' })), 'a group name, not a user id').toBeNull()
  expect(await verifySession(keys, await signed({ sub: 'x'.repeat(65) }))).toBeNull()
  expect(await verifySession(keys, await signed({ sub: newUserId(), exp: null })), 'a token that never expires').toBeNull()
  expect(await verifySession(keys, await signed({ sub: newUserId(), iss: 'someone-else' }))).toBeNull()
  expect(await verifySession(keys, await signed({ sub: newUserId(), aud: 'another-service' }))).toBeNull()
  expect(await verifySession(keys, await signed({ sub: newUserId(), exp: Math.floor(Date.now() / 1000) - 5 })), 'expired').toBeNull()
  const userId = newUserId()
  expect(await verifySessionToken(keys, await signed({ sub: userId })), 'the same claims as issued: believed').toBe(userId)
})

test('a failure that is not about the token (the key cannot be used) is thrown, not taken for a bad token', async () => {
  const broken = { secret: Promise.reject(new Error('no key: the secret could not be imported')), ttlSeconds: 60 }
  broken.secret.catch(() => undefined)
  await expect(verifySession(broken as never, await signed({ sub: newUserId() }))).rejects.toThrow('no key: the secret could not be imported')
})
