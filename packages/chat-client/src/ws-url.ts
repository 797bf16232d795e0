import { groupIdFor, STREAM_NAME } from '@chat/protocol'

/** The backend's origin without a trailing slash; a relative base (same origin) is resolved against the page. */
export const normalizeBaseUrl = (baseUrl: string): string => {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) || typeof location === 'undefined' ? baseUrl : new URL(baseUrl || '/', location.href).href
  return absolute.replace(/\/+$/, '')
}

/** `ws(s)://<backend>/streams/chat-messages/user:<userId>`: Motia's socket server accepts any path. */
export const toWsUrl = (baseUrl: string, userId: string): string =>
  `${normalizeBaseUrl(baseUrl).replace(/^http/i, 'ws')}/streams/${STREAM_NAME}/${groupIdFor(userId)}`
