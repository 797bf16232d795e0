import type { ChatEvent, ChatMessage } from '@chat/protocol'
import { ERROR_CODES, groupIdFor } from '@chat/protocol'
import type { InternalStateManager, Logger, MotiaStream } from 'motia'
import { AnswerItem } from './answer-item'
import { markFinished } from './answers-in-progress'
import { publishAfterWrite } from './item-before-event'
import { loadConfig } from './config'
import type { NewTurn } from './conversation'
import { loadHistory } from './conversation-history'
import { answerEnded } from './limits/answer-limits'
import { generateAnswer, type GenerationResult } from './generation/generate-answer'
import { providerChain } from './providers/provider-chain'

/** How long a failed answer's `error` event waits for its item to be written first. */
const ITEM_BEFORE_EVENT_MS = 250

/**
 * Generates the answer of a recorded turn through the provider chain, publishing `token`, `provider_switch`,
 * `complete` or `error` to group `user:<userId>` and keeping the answer item up to date.
 */
export const runAnswer = async (
  turn: NewTurn,
  stream: MotiaStream<ChatMessage>,
  state: InternalStateManager,
  logger: Logger,
): Promise<GenerationResult> => {
  const config = loadConfig()
  const groupId = groupIdFor(turn.userId)
  const publish = (event: ChatEvent) => stream.send<ChatEvent['data']>({ groupId }, event)
  // Read together: every provider of the chain, a failover's too, is sent the same history.
  const [answer, history] = await Promise.all([
    AnswerItem.load(stream, turn.userId, turn.traceId),
    loadHistory(stream, turn, config.historyBudgetChars),
  ])
  if (answer.status === 'complete' || answer.status === 'error') {
    // The sweep ended it while the generation waited in the queue (longer than the stall bound, all slots busy).
    logger.warn('Answer already ended; not generating it', { traceId: turn.traceId, status: answer.status })
    return { ok: false, code: ERROR_CODES.interrupted, message: 'The answer had already ended.' }
  }

  let tokensStreamed = 0
  const generation = generateAnswer({
    traceId: turn.traceId,
    prompt: { text: turn.message, history, userId: turn.userId },
    providers: providerChain(config),
    timeouts: { firstTokenMs: config.firstTokenTimeoutMs, idleMs: config.idleTimeoutMs },
    sink: {
      attemptStarted: (provider) => answer.begin(provider),
      token: async (data) => {
        tokensStreamed += 1
        await publish({ type: 'token', data })
        await answer.append(data.token, data.seq)
      },
      providerSwitch: (data) => publish({ type: 'provider_switch', data }),
    },
    onFailure: (failure, from, to) =>
      logger.warn(to ? 'Provider failed, switching provider' : 'Provider failed, no provider left', {
        traceId: turn.traceId,
        userId: turn.userId,
        from,
        to,
        reason: failure.reason,
        detail: failure.message,
      }),
  })

  const result: GenerationResult = await generation.catch((error: unknown) => {
    logger.error('Generation interrupted', { traceId: turn.traceId, userId: turn.userId, detail: String(error) })
    return { ok: false, code: ERROR_CODES.interrupted, message: 'The answer was interrupted (the backend lost its store mid-answer). Try again.' }
  })

  if (result.ok) {
    const { content, provider, tokenCount, finishReason } = result
    await answer.complete(content, provider, finishReason)
    await publish({ type: 'complete', data: { traceId: turn.traceId, content, provider, tokenCount, finishReason } })
    logger.info(finishReason === 'length' ? 'Answer complete, cut off at the length limit' : 'Answer complete', {
      traceId: turn.traceId,
      userId: turn.userId,
      provider,
      tokenCount,
      finishReason,
    })
  } else {
    const error: ChatEvent = { type: 'error', data: { traceId: turn.traceId, code: result.code, message: result.message } }
    await publishAfterWrite(answer.fail(), () => publish(error), ITEM_BEFORE_EVENT_MS)
    logger.error('Answer failed', { traceId: turn.traceId, userId: turn.userId, code: result.code, message: result.message })
  }
  await markFinished(state, turn.traceId, turn.userId).catch(() => undefined)
  await answerEnded(turn.userId, turn.traceId, tokensStreamed).catch((error: unknown) =>
    // The slot then lapses with its entry; the tokens go uncounted (Redis was away as the answer ended).
    logger.warn('Answer end not counted against the limits', { traceId: turn.traceId, userId: turn.userId, tokensStreamed, detail: String(error) }),
  )
  return result
}
