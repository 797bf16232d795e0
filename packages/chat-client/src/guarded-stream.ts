import { Stream } from '@motiadev/stream-client-browser'

export type SocketAdapter = ReturnType<Stream['createSocket']>

/** Motia 0.17's Stream keeps these private; the connection takes over its socket life cycle through them. */
export interface StreamInternals {
  ws: SocketAdapter
  onSocketOpen(): void
  onSocketClose(): void
}

export const internalsOf = (stream: Stream): StreamInternals => stream as unknown as StreamInternals

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

/**
 * Creates a socket on `stream` (its first or a reconnection) without throwing: `new WebSocket()` throws when the
 * page may not open it (mixed content, a strict CSP, no WebSocket at all), and then the chat must poll, not crash.
 */
export const createSocketSafely = (stream: Stream): void => {
  try {
    stream.createSocket()
  } catch {
    const internals = internalsOf(stream)
    internals.ws = refusedSocket()
    internals.ws.onClose(() => internals.onSocketClose())
  }
}

/** Motia's browser Stream whose first socket, too, is created without throwing. */
export class GuardedStream extends Stream {
  override createSocket(): SocketAdapter {
    try {
      return super.createSocket()
    } catch {
      const socket = refusedSocket()
      internalsOf(this).ws = socket
      socket.onClose(() => internalsOf(this).onSocketClose())
      return socket
    }
  }
}
