import type { IncomingMessage } from 'node:http'
import { SESSION_EXPIRED_CLOSE_CODE } from '@chat/protocol'
import type { MotiaPluginContext } from 'motia'
import type { WebSocket, WebSocketServer } from 'ws'
import type { SocketAuth } from '../auth/stream-auth'

interface SocketServerHook {
  socketServer?: WebSocketServer
}

/** The longest delay a timer takes (about 24.8 days); a session is far shorter. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * A socket ends with its session: closed with SESSION_EXPIRED_CLOSE_CODE when the token it was opened with expires.
 * The token is checked at the upgrade only, and a socket open past it went on receiving its user's answers and
 * accepting joins. Motia's socket server is reached through the patched server.mjs.
 */
export const socketExpiryPlugin = ({ lockedData }: MotiaPluginContext) => {
  const server = (lockedData as unknown as SocketServerHook).socketServer
  if (!server) throw new Error('socket expiry needs the patched server.mjs (lockedData.socketServer)')
  server.on('connection', (socket: WebSocket, request: IncomingMessage & { authContext?: SocketAuth }) => {
    const expiresAt = request.authContext?.expiresAt
    if (expiresAt === undefined) return
    const timer = setTimeout(() => socket.close(SESSION_EXPIRED_CLOSE_CODE, 'session expired'), Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS))
    socket.once('close', () => clearTimeout(timer))
  })
  return { workbench: [] }
}
