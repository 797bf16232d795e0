import type { Stream, StreamGroupSubscription } from '@motiadev/stream-client-browser'

/**
 * The version of `@motiadev/stream-client` and `@motiadev/stream-client-browser` whose private members this module
 * reaches (the only module that does). `e2e/unit/motia-internals.spec.ts` compares it with the installed packages and
 * checks every member used here on real instances of their classes: an upgrade that changes them fails that spec.
 */
export const MOTIA_STREAM_CLIENT_VERSION = '0.17.6-beta.187'

export type SocketAdapter = ReturnType<Stream['createSocket']>

/** What Motia's `Stream` keeps private and this module uses. */
interface StreamPrivates {
  /** The current socket: set by `createSocket()`, read by `join`/`leave`/`close`. */
  ws: SocketAdapter
  /** Wired by `createSocket()` to the socket's open: joins every subscription. */
  onSocketOpen(): void
  /** Wired by `createSocket()` to the socket's close: a new socket after a fixed 2 s, even after `close()`. */
  onSocketClose(): void
}

const privatesOf = (stream: Stream): StreamPrivates => stream as unknown as StreamPrivates

/** The stream's current socket. */
export const socketOf = (stream: Stream): SocketAdapter => privatesOf(stream).ws

/** Makes `socket` the stream's current socket, its close handled as `createSocket()` wires a socket's close. */
export const replaceSocket = (stream: Stream, socket: SocketAdapter): void => {
  const privates = privatesOf(stream)
  privates.ws = socket
  socket.onClose(() => privates.onSocketClose())
}

export interface SocketLifecycle {
  /** The socket opened; the stream then joins its subscriptions (Motia's own open handling). */
  opened(): void
  /** The socket closed; replaces Motia's own close handling (its fixed reconnection). */
  closed(): void
}

/**
 * Takes over the open and close of every socket of `stream` (the current one and those `createSocket()` makes
 * later), as instance members shadowing the Stream's own. Returns the restore: the Stream's own handling again.
 */
export const takeOverSocketLifecycle = (stream: Stream, lifecycle: SocketLifecycle): (() => void) => {
  const privates = privatesOf(stream)
  const joinAll = (Object.getPrototypeOf(stream) as StreamPrivates).onSocketOpen
  privates.onSocketOpen = () => {
    lifecycle.opened()
    joinAll.call(stream)
  }
  privates.onSocketClose = () => lifecycle.closed()
  return () => {
    const own = privates as Partial<StreamPrivates>
    delete own.onSocketOpen
    delete own.onSocketClose
  }
}

export type GroupFrame<TData extends { id: string }> = Parameters<StreamGroupSubscription<TData>['listener']>[0]

/**
 * Hands each frame of the subscription's room to `observe` as it comes, before the subscription's own handling
 * (which drops some: see group-frames.ts), which then runs as before.
 */
export const interceptFrames = <TData extends { id: string }>(
  subscription: StreamGroupSubscription<TData>,
  observe: (frame: GroupFrame<TData>) => void,
): void => {
  const official = subscription.listener.bind(subscription)
  subscription.listener = (frame) => {
    observe(frame)
    official(frame)
  }
}
