import { Stream } from '@motiadev/stream-client-browser'
import { replaceSocket, type SocketAdapter } from './motia-internals'

/** A socket the browser refused to create (blocked, no WebSocket at all): it reports a close, as a failed one would. */
const refusedSocket = (): SocketAdapter => {
  let closeListeners: (() => void)[] = []
  setTimeout(() => closeListeners.forEach((listener) => listener()), 0)
  return {
    connect: () => undefined,
    send: () => undefined,
    isOpen: () => false,
    onMessage: () => undefined,
    onOpen: () => undefined,
    onClose: (listener) => void closeListeners.push(listener),
    close: () => void (closeListeners = []),
  }
}

/** Puts a refused socket in place of the one `stream` could not create; its close is handled as any socket's. */
const refuseSocket = (stream: Stream): SocketAdapter => {
  const socket = refusedSocket()
  replaceSocket(stream, socket)
  return socket
}

/**
 * Creates a socket on `stream` (its first or a reconnection) without throwing: `new WebSocket()` throws when the
 * page may not open it (mixed content, a strict CSP, no WebSocket at all), and then the chat must poll, not crash.
 */
export const createSocketSafely = (stream: Stream): void => {
  try {
    stream.createSocket()
  } catch {
    refuseSocket(stream)
  }
}

/** Motia's browser Stream whose first socket, too, is created without throwing. */
export class GuardedStream extends Stream {
  override createSocket(): SocketAdapter {
    try {
      return super.createSocket()
    } catch {
      return refuseSocket(this)
    }
  }
}
