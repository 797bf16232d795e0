import type { ChatEvent, ChatMessage } from '@chat/protocol'
import { groupIdFor } from '@chat/protocol'
import type { Logger, MotiaStream } from 'motia'
import { AnswerItem } from './answer-item'
import { loadConfig } from './config'
import type { NewTurn } from './conversation'
import { generateAnswer, type GenerationResult } from './generation/generate-answer'
import { createProviderChain } from './providers/provider-chain'

/**
 * Generates the answer of a recorded turn through the provider chain, publishing `token`, `provider_switch`,
 * `complete` or `error` to group `user:<userId>` and keeping the answer item up to date.
 */
export const runAnswer = async (
  turn: NewTurn,
  stream: MotiaStream<ChatMessage>,
  logger: Logger,
): Promise<GenerationResult> => {
  const config = loadConfig()
  const groupId = groupIdFor(turn.userId)
  const publish = (event: ChatEvent) => stream.send<ChatEvent['data']>({ groupId }, event)
  const answer = await AnswerItem.load(stream, turn.userId, turn.traceId)

  const result = await generateAnswer({
    traceId: turn.traceId,
    prompt: { text: turn.message, userId: turn.userId },
    providers: createProviderChain(config),
    timeouts: { firstTokenMs: config.firstTokenTimeoutMs, idleMs: config.idleTimeoutMs },
    sink: {
      attemptStarted: (provider) => answer.begin(provider),
      token: async (data) => {
        await publish({ type: 'token', data })
        await answer.append(data.token)
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

  if (result.ok) {
    await answer.complete(result.content, result.provider)
    const { content, provider, tokenCount } = result
    await publish({ type: 'complete', data: { traceId: turn.traceId, content, provider, tokenCount } })
    logger.info('Answer complete', { traceId: turn.traceId, userId: turn.userId, provider: result.provider, tokenCount: result.tokenCount })
  } else {
    await answer.fail()
    await publish({ type: 'error', data: { traceId: turn.traceId, code: result.code, message: result.message } })
    logger.error('Answer failed', { traceId: turn.traceId, userId: turn.userId, code: result.code, message: result.message })
  }
  return result
}
