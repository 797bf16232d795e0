import { groupIdFor, userIdSchema } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { errorResponse } from '../lib/http/error-response'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'ChatMessage',
  description: 'Returns one message item of a user (the polling fallback reads answers here)',
  path: '/api/chat/messages/:traceId',
  method: 'GET',
  emits: [],
  flows: ['chat'],
  queryParams: [{ name: 'userId', description: 'The owner of the message' }],
}

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, never> = async (req, { streams }) => {
  const userId = userIdSchema.safeParse(req.queryParams.userId)
  if (!userId.success) return errorResponse(400, 'invalid_request', 'Query parameter userId is missing or invalid.')
  const traceId = req.pathParams.traceId ?? ''
  // Another user's message lives in another group, so it is simply not found here.
  const item = await streams['chat-messages'].get(groupIdFor(userId.data), traceId)
  if (!item) return errorResponse(404, 'not_found', `No message ${traceId} for this user.`)
  return { status: 200, body: item }
}
