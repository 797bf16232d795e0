import { chatMessageSchema, errorBodySchema, streamAcceptedSchema, type ChatMessage, type StreamAccepted } from '@chat/protocol'

export class ChatApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
  ) {
    super(message)
  }
}

const failure = async (response: Response): Promise<ChatApiError> => {
  const body = errorBodySchema.safeParse(await response.json().catch(() => null))
  return body.success
    ? new ChatApiError(body.data.error.code, body.data.error.message, response.status)
    : new ChatApiError('http_error', `The chat service answered ${response.status}.`, response.status)
}

const request = async (url: string, init?: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, init)
  } catch {
    throw new ChatApiError('network_error', 'The chat service cannot be reached.', null)
  }
}

export const postChatMessage = async (
  baseUrl: string,
  body: { message: string; userId: string; conversationId?: string },
): Promise<StreamAccepted> => {
  const response = await request(`${baseUrl}/api/chat/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  })
  if (response.status !== 202) throw await failure(response)
  return streamAcceptedSchema.parse(await response.json())
}

export const fetchChatMessage = async (baseUrl: string, traceId: string, userId: string): Promise<ChatMessage> => {
  const response = await request(`${baseUrl}/api/chat/messages/${encodeURIComponent(traceId)}?userId=${encodeURIComponent(userId)}`)
  if (!response.ok) throw await failure(response)
  return chatMessageSchema.parse(await response.json())
}
