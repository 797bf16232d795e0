import { type ChatMessage, groupIdFor, userIdSchema } from '@chat/protocol'
import { errorResponse } from './http/error-response'

export type ReadItem = (groupId: string, id: string) => Promise<ChatMessage | null>

/** `GET /api/chat/messages/:traceId?userId=`: one item of the user's group, or a 400/404 error body. */
export const readMessage = async (read: ReadItem, traceId: string, rawUserId: unknown) => {
  const userId = userIdSchema.safeParse(rawUserId)
  if (!userId.success) return errorResponse(400, 'invalid_request', 'Query parameter userId is missing or invalid.')
  // Another user's message lives in another group, so it is simply not found here.
  const item = await read(groupIdFor(userId.data), traceId)
  if (!item) return errorResponse(404, 'not_found', `No message ${traceId} for this user.`)
  return { status: 200, body: item as unknown }
}
