/** The backend's HTTP routes: the only ones that answer (everything else, Motia's own routes included, is 404). */
export const API_ROUTES = {
  session: { method: 'POST', path: '/api/session' },
  chatStream: { method: 'POST', path: '/api/chat/stream' },
  chatMessage: { method: 'GET', path: '/api/chat/messages/:traceId' },
  health: { method: 'GET', path: '/api/health' },
} as const

export const chatMessagePath = (traceId: string): string => `/api/chat/messages/${encodeURIComponent(traceId)}`
