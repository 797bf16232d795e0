import { z } from 'zod'
import { chatEventSchema } from './events'
import { chatMessageSchema, type ChatMessage } from './stream'

/** The stream's items in a `sync`, each kept only when it fits the contract (one bad item does not hide the rest). */
const syncedItemsSchema = z.unknown().transform((data): ChatMessage[] =>
  (Array.isArray(data) ? data : [data]).flatMap((value) => {
    const item = chatMessageSchema.safeParse(value)
    return item.success ? [item.data] : []
  }),
)

/**
 * One frame of Motia 0.17's socket server on stream `chat-messages`, as far as the chat reads it: the answer to a
 * join (`sync`: the group's items, or the one item joined), an item created, updated or deleted, or one of the four
 * chat events (`streams['chat-messages'].send`). Frames come as `{ timestamp, streamName, groupId, id?, event }`.
 */
export const motiaFrameSchema = z.object({
  timestamp: z.number(),
  streamName: z.string(),
  groupId: z.string(),
  id: z.string().optional(),
  event: z.discriminatedUnion('type', [
    z.object({ type: z.literal('sync'), data: syncedItemsSchema }),
    z.object({ type: z.literal('create'), data: chatMessageSchema }),
    z.object({ type: z.literal('update'), data: chatMessageSchema }),
    z.object({ type: z.literal('delete'), data: z.object({ id: z.string() }) }),
    z.object({ type: z.literal('event'), event: chatEventSchema }),
  ]),
})
export type MotiaFrame = z.infer<typeof motiaFrameSchema>

/**
 * Reads a frame (its JSON text, or the object Motia's browser client already parsed). Anything else — not JSON, not
 * Motia's frame shape, an item or event outside the chat contract (such as Motia's own `error` event for a refused
 * join, which has no traceId) — gives `null`.
 */
export const parseMotiaFrame = (frame: string | object): MotiaFrame | null => {
  let value: unknown = frame
  if (typeof frame === 'string') {
    try {
      value = JSON.parse(frame)
    } catch {
      return null
    }
  }
  const parsed = motiaFrameSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}
