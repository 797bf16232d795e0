import {
  API_ROUTES,
  bearer,
  chatMessagePath,
  chatMessageSchema,
  errorBodySchema,
  sessionSchema,
  streamAcceptedSchema,
  type ChatMessage,
  type Session,
  type StreamAccepted,
} from '@chat/protocol'
import { retryAfterSeconds } from './retry-wait'

export class ChatApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
    /** The response's `Retry-After` in seconds; null when it sent none (or not as seconds). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }
}

// A cross-origin page reads `Retry-After` only when the backend's CORS exposes it (`Access-Control-Expose-Headers`).
const failure = async (response: Response): Promise<ChatApiError> => {
  const body = errorBodySchema.safeParse(await response.json().catch(() => null))
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'))
  return body.success
    ? new ChatApiError(body.data.error.code, body.data.error.message, response.status, retryAfter)
    : new ChatApiError('http_error', `The chat service answered ${response.status}.`, response.status, retryAfter)
}

const request = async (url: string, init: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, init)
  } catch {
    throw new ChatApiError('network_error', 'The chat service cannot be reached.', null)
  }
}

const jsonPost = (token: string | null, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: bearer(token) } : {}) },
  body: JSON.stringify(body),
})

/** A new session, or — with a still valid `token` — the same user's, renewed. */
export const createSession = async (baseUrl: string, token: string | null = null): Promise<Session> => {
  const response = await request(`${baseUrl}${API_ROUTES.session.path}`, jsonPost(token, {}))
  if (response.status !== 201) throw await failure(response)
  return sessionSchema.parse(await response.json())
}

export const postChatMessage = async (
  baseUrl: string,
  token: string,
  body: { message: string; conversationId?: string; answerId?: string },
): Promise<StreamAccepted> => {
  const response = await request(`${baseUrl}${API_ROUTES.chatStream.path}`, jsonPost(token, { ...body, stream: true }))
  if (response.status !== 202) throw await failure(response)
  return streamAcceptedSchema.parse(await response.json())
}

export const fetchChatMessage = async (baseUrl: string, token: string, traceId: string): Promise<ChatMessage> => {
  const response = await request(`${baseUrl}${chatMessagePath(traceId)}`, { headers: { authorization: bearer(token) } })
  if (!response.ok) throw await failure(response)
  return chatMessageSchema.parse(await response.json())
}
