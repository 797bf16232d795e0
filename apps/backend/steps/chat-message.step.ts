import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { readMessage } from '../lib/read-message'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'ChatMessage',
  description: 'Returns one message item of a user (the polling fallback reads answers here); with an external Redis, lib/http/direct-message-route.ts answers first',
  path: '/api/chat/messages/:traceId',
  method: 'GET',
  emits: [],
  flows: ['chat'],
  queryParams: [{ name: 'userId', description: 'The owner of the message' }],
}

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, never> = async (req, { streams }) =>
  readMessage((groupId, id) => streams['chat-messages'].get(groupId, id), req.pathParams.traceId ?? '', req.queryParams.userId)
