import { API_ROUTES, chatRequestSchema, ERROR_CODES, groupIdFor, STREAM_NAME } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler, FlowContext } from 'motia'
import { z } from 'zod'
import { admissionKey, admitAnswer, answerDone } from '../lib/answer-admission'
import { claimAnswerId } from '../lib/answer-claims'
import { ANSWER_REQUESTED, type AnswerJob } from '../lib/answer-job'
import { markFinished, markInProgress } from '../lib/answers-in-progress'
import { requestUser, unauthorized } from '../lib/auth/request-session'
import { forgetTurn, recordNewTurn } from '../lib/conversation'
import { mayContinueConversation } from '../lib/conversation-owners'
import { busyResponse, errorResponse, limitedResponse } from '../lib/http/error-response'
import { unavailableResponse } from '../lib/http/redis-availability'
import { admitAnswerWithinLimits, answerNotRecorded } from '../lib/limits/answer-limits'
import { answersPerInstance } from '../lib/motia/event-concurrency'
import { RequestDeadline } from '../lib/redis/request-deadline'
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
  const { message, conversationId, stream, answerId } = parsed.data
  // The answer's id: the client's when it named one, else this request's traceId. Motia's traceId stays the trace's.
  const id = answerId ?? traceId
  logger.info('ChatStream received message', { traceId, answerId: id, userId, stream, length: message.length })

  const turn = { traceId: id, userId, conversationId, message }
  const messages = streams['chat-messages']
  const groupId = groupIdFor(userId)
  const accepted = { status: 202, body: { traceId: id, streamName: STREAM_NAME, groupId } }

  // Past the instance's bound nothing is recorded: the client is told when to try again.
  const admission = admissionKey({ userId, traceId: id })
  const leave = admitAnswer(admission, answersPerInstance())
  if (!leave) {
    logger.warn('ChatStream refused a message: this instance streams all the answers it can', { traceId, userId })
    return busyResponse()
  }
  let recorded = false
  let turnRecorded = false
  let withinLimits = false
  // Every Redis wait below is bounded: a hung Redis gets the client a 503 in time, and whatever completes after that
  // is undone when it does (RequestDeadline).
  const deadline = new RequestDeadline()
  // A claim held by another request, or an existing item: this POST was already made (a re-send). Starts nothing.
  let release: (() => Promise<void>) | null = null
  try {
    release = answerId ? await deadline.bound(claimAnswerId(userId, answerId), (late) => late?.()) : null
    if (conversationId && !(await deadline.bound(mayContinueConversation(conversationId, userId)))) {
      logger.warn('ChatStream refused a turn in another user\'s conversation', { traceId, userId, conversationId })
      return errorResponse(403, ERROR_CODES.conversationForbidden, 'This conversation belongs to another user; start a new chat.')
    }
    if (answerId) {
      const existing = release ? await deadline.bound(messages.get(groupId, answerId)) : null
      if (!release || existing) {
        logger.info('ChatStream: answer already requested, not started again', { traceId, answerId, userId })
        if (stream) return accepted
        return existing?.status === 'complete'
          ? { status: 200, body: { traceId: id, content: existing.content, provider: existing.provider, finishReason: existing.finishReason ?? 'stop' } }
          : errorResponse(409, 'answer_exists', 'This answer was already requested; it is not generated again.')
      }
    }
    // Only an answer about to be recorded counts (a re-send above does not); over a limit nothing is recorded.
    const refusal = await deadline.bound(admitAnswerWithinLimits(userId, id), (late) => (late ? undefined : answerNotRecorded(userId, id)))
    if (refusal) {
      logger.warn('ChatStream refused a message: over a limit', { traceId, userId, code: refusal.code, retryAfter: refusal.retryAfterSeconds })
      return limitedResponse(refusal)
    }
    withinLimits = true
    await deadline.bound(recordNewTurn(messages, turn), () => forgetTurn(messages, turn))
    turnRecorded = true
    // After the item exists: the sweep takes an entry without its item for a finished answer.
    await deadline.bound(markInProgress(state, id, userId), () => markFinished(state, id, userId))
    recorded = true
  } catch (error) {
    // Redis went away, or stopped answering, after the availability gate let the request in (lib/http/redis-availability.ts).
    logger.warn('ChatStream could not record the turn', { traceId, answerId: id, userId, detail: String(error) })
    if (turnRecorded) void forgetTurn(messages, turn).catch(() => undefined)
    return unavailableResponse()
  } finally {
    deadline.done()
    if (!recorded) leave()
    // Not awaited past the deadline: they run once Redis answers, and the client has its 503 by then.
    const cleanUp = Promise.all([release?.(), withinLimits && !recorded ? answerNotRecorded(userId, id) : null]).catch(() => undefined)
    if (!deadline.passed) await cleanUp
  }

  if (!stream) {
    const result = await runAnswer(turn, messages, state, logger).finally(() => answerDone(admission))
    return result.ok
      ? { status: 200, body: { traceId: id, content: result.content, provider: result.provider, finishReason: result.finishReason } }
      : errorResponse(502, result.code, result.message)
  }

  await emit({ topic: ANSWER_REQUESTED, data: turn }).catch((error: unknown) => {
    answerDone(admission)
    throw error
  })
  return accepted
}
