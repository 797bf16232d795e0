import { type ChatMessage, groupIdFor } from '@chat/protocol'
import { unauthorized } from './auth/request-session'
import { errorResponse } from './http/error-response'

export type ReadItem = (groupId: string, id: string) => Promise<ChatMessage | null>

/** `GET /api/chat/messages/:traceId`: one item of the session's user, or a 401/404 error body. */
export const readMessage = async (read: ReadItem, traceId: string, userId: string | null) => {
  if (!userId) return unauthorized()
  // Another user's message lives in another group: it is simply not found here, exactly like one that never was.
  const item = await read(groupIdFor(userId), traceId)
  if (!item) return errorResponse(404, 'not_found', 'No such message.')
  return { status: 200, body: item as unknown }
}
