import { parseMotiaFrame, type ChatEvent, type ChatMessage } from '@chat/protocol'
import type { StreamGroupSubscription } from '@motiadev/stream-client-browser'
import { interceptFrames } from './motia-internals'

export type GroupSubscription = StreamGroupSubscription<ChatMessage>

export interface GroupFrameHandlers {
  /** The answer to the join: every item of the group. */
  onSync(items: ChatMessage[]): void
  /** One item created or updated. */
  onItem(item: ChatMessage): void
  onEvent(event: ChatEvent): void
}

/**
 * Reads the group's frames as they come, before the official subscription filters them: it drops an `update`
 * sharing a millisecond with the previous one of that item, a `create` of an item it already holds, and a `sync`
 * older than its last frame. Events that do not fit the chat contract (e.g. Motia's own `error` event for a refused
 * join, which has no traceId) are ignored.
 */
export const observeGroupFrames = (subscription: GroupSubscription, handlers: GroupFrameHandlers): void =>
  // The official subscription keeps its own view of the group (getState()) after this; nothing here reads it.
  interceptFrames(subscription, (frame) => {
    const event = parseMotiaFrame(frame)?.event
    if (event?.type === 'sync') handlers.onSync(event.data)
    else if (event?.type === 'create' || event?.type === 'update') handlers.onItem(event.data)
    else if (event?.type === 'event') handlers.onEvent(event.event)
  })
