import type { StreamAuthRequest } from 'motia'
import { first, socketSession } from './request-session'

/** What a socket's session gives every `canAccess` check. */
export interface SocketAuth {
  userId: string
  /** When the socket's session expires (ms since the epoch): the server closes the socket then (lib/motia/socket-expiry.ts). */
  expiresAt: number
}

/**
 * Motia's `streamAuth.authenticate`, run in the server on each socket upgrade. Throwing refuses the upgrade (401);
 * returning null would admit the socket, so every failure throws. A browser always sends its page's Origin, which
 * must be one of the apps' (a page elsewhere cannot ride a user's session); a client that sends none is not a
 * browser, and its token alone decides.
 */
export const authenticateSocket =
  (origins: readonly string[]) =>
  async (request: StreamAuthRequest): Promise<SocketAuth> => {
    const origin = first(request.headers.origin)
    if (origin !== undefined && !origins.includes(origin)) throw new Error('origin not allowed')
    const session = await socketSession(request.headers)
    if (!session) throw new Error('no valid session')
    return session
  }
