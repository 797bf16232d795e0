import type { StreamAuthRequest } from 'motia'
import { first, socketUser } from './request-session'

/** What a socket's session gives every `canAccess` check. */
export interface SocketAuth {
  userId: string
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
    const userId = await socketUser(request.headers)
    if (!userId) throw new Error('no valid session')
    return { userId }
  }
