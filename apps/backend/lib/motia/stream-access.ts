import { groupIdFor, STREAM_NAME } from '@chat/protocol'
import type { LockedData, MotiaPluginContext } from 'motia'
import type { SocketAuth } from '../auth/stream-auth'

interface Subscription {
  groupId: string
  id?: string
}
type CanAccess = (subscription: Subscription, auth: SocketAuth | undefined) => boolean

/** A socket may join its own user's group of `chat-messages`, or an item in it, while its session lasts; nothing else. */
export const canAccessChat: CanAccess = (subscription, auth) =>
  auth !== undefined && auth.expiresAt > Date.now() && subscription.groupId === groupIdFor(auth.userId)
const closed: CanAccess = () => false

type StreamEntry = ReturnType<LockedData['listStreams']>[number] & { config: { canAccess?: CanAccess } }

const guard = (stream: StreamEntry) => {
  stream.config.canAccess = stream.config.name === STREAM_NAME ? canAccessChat : closed
}

/**
 * Sets every stream's `canAccess` in the server process, where Motia calls it inline (a `canAccess` exported from
 * a stream file is run in a new process per join). `chat-messages` admits its owner only; every other stream —
 * Motia's own `__motia.logs`, `motia-trace`, `motia-trace-group` included — is closed to sockets.
 */
export const streamAccess = ({ lockedData }: MotiaPluginContext) => {
  for (const stream of lockedData.listStreams()) guard(stream as StreamEntry)
  lockedData.onStream('stream-created', (stream) => guard(stream as StreamEntry))
  lockedData.onStream('stream-updated', (stream) => guard(stream as StreamEntry))
  return { workbench: [] }
}
