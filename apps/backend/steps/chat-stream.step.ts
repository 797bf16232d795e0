import { API_ROUTES, chatRequestSchema, groupIdFor, STREAM_NAME } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler, FlowContext } from 'motia'
import { z } from 'zod'
import { ANSWER_REQUESTED, type AnswerJob } from '../lib/answer-job'
import { markInProgress } from '../lib/answers-in-progress'
import { requestUser, unauthorized } from '../lib/auth/request-session'
import { recordNewTurn } from '../lib/conversation'
import { errorResponse } from '../lib/http/error-response'
import { unavailable } from '../lib/http/redis-availability'
import { runAnswer } from '../lib/run-answer'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'ChatStream',
  description: 'Accepts a chat message; streams the answer over chat-messages (stream: true) or returns it whole',
  path: API_ROUTES.chatStream.path,
  method: API_ROUTES.chatStream.method,
  emits: [ANSWER_REQUESTED],
  flows: ['chat'],
  bodySchema: chatRequestSchema,
}

type Emit = { topic: typeof ANSWER_REQUESTED; data: AnswerJob }

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, Emit> = async (
  req,
  { emit, logger, state, streams, traceId }: FlowContext<Emit>,
) => {
  const userId = await requestUser(req.headers)
  if (!userId) return unauthorized()
  // Motia 0.17 does not validate bodySchema at request time.
  const parsed = chatRequestSchema.safeParse(req.body)
  if (!parsed.success) {
    logger.warn('ChatStream rejected a request', { issues: parsed.error.issues.map((issue) => issue.message) })
    return errorResponse(400, 'invalid_request', z.prettifyError(parsed.error))
  }
  const { message, conversationId, stream } = parsed.data
  logger.info('ChatStream received message', { traceId, userId, stream, length: message.length })

  const turn = { traceId, userId, conversationId, message }
  const messages = streams['chat-messages']
  try {
    await recordNewTurn(messages, turn)
    await markInProgress(state, traceId, userId)
  } catch (error) {
    // Redis went away after the availability gate let the request in (lib/http/redis-availability.ts).
    logger.warn('ChatStream could not record the turn', { traceId, userId, detail: String(error) })
    return { status: 503, body: unavailable }
  }

  if (!stream) {
    const result = await runAnswer(turn, messages, state, logger)
    return result.ok
      ? { status: 200, body: { traceId, content: result.content, provider: result.provider } }
      : errorResponse(502, result.code, result.message)
  }

  await emit({ topic: ANSWER_REQUESTED, data: turn })
  return { status: 202, body: { traceId, streamName: STREAM_NAME, groupId: groupIdFor(userId) } }
}
