import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { API_ROUTES } from '@chat/protocol'
import { requestUser } from '../lib/auth/request-session'
import { readMessage } from '../lib/read-message'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'ChatMessage',
  description: 'Returns one message item of a user (the polling fallback reads answers here); with an external Redis, lib/http/direct-message-route.ts answers first',
  path: API_ROUTES.chatMessage.path,
  method: API_ROUTES.chatMessage.method,
  emits: [],
  flows: ['chat'],
}

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, never> = async (req, { streams }) =>
  readMessage((groupId, id) => streams['chat-messages'].get(groupId, id), req.pathParams.traceId ?? '', await requestUser(req.headers))
