import { sessionSchema, type Session } from '@chat/protocol'
import { createSession } from './chat-api'
import { normalizeBaseUrl } from './ws-url'

export const SESSION_STORAGE_KEY = 'motia-chat:session'
/** A kept session this close to its expiry is renewed (same user) instead of used as it is. */
export const RENEW_WITHIN_MS = 60 * 60 * 1000

/** The longest delay a timer takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** How long until `session` is due for renewal (0: now), as a timer's delay. */
export const renewalDelayMs = (session: Session, now: number = Date.now()): number =>
  Math.min(Math.max(0, Date.parse(session.expiresAt) - RENEW_WITHIN_MS - now), MAX_TIMER_MS)

const kept = (storage: Storage): Session | null => {
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(storage.getItem(SESSION_STORAGE_KEY) ?? 'null'))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * This tab's session: the one kept in sessionStorage (a reload keeps its user and conversation), renewed when it
 * is about to expire, or a new one from the backend — which chooses the userId.
 */
export const loadSession = async (baseUrl: string, storage: Storage = window.sessionStorage, now: number = Date.now()): Promise<Session> => {
  const current = kept(storage)
  const left = current ? Date.parse(current.expiresAt) - now : 0
  if (current && left > RENEW_WITHIN_MS) return current
  const session = await createSession(normalizeBaseUrl(baseUrl), current && left > 0 ? current.token : null)
  storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session))
  return session
}
