import { ANSWER_STALL_SECONDS, ERROR_CODES, groupIdFor, type ChatEvent, type ChatMessage } from '@chat/protocol'
import type { InternalStateManager, Logger, MotiaStream } from 'motia'
import { AnswerItem } from './answer-item'
import { IN_PROGRESS_GROUP, markFinished, SERVER_ID, type InProgressEntry } from './answers-in-progress'

/**
 * Ends every answer that can no longer finish with `error { code: 'interrupted' }` (event and item): one recorded
 * by a server process that is gone (the backend restarted), or one whose item has not changed for
 * ANSWER_STALL_SECONDS. Finished answers leave the in-progress list.
 */
export const sweepAnswers = async (
  stream: MotiaStream<ChatMessage>,
  state: InternalStateManager,
  logger: Logger,
  now = Date.now(),
): Promise<number> => {
  let failed = 0
  for (const entry of await state.getGroup<InProgressEntry>(IN_PROGRESS_GROUP)) {
    const answer = await AnswerItem.load(stream, entry.userId, entry.traceId).catch(() => null)
    if (!answer || answer.status === 'complete' || answer.status === 'error') {
      await markFinished(state, entry.traceId, entry.userId)
      continue
    }
    const restarted = entry.serverId !== SERVER_ID
    const stalledFor = now - Date.parse(answer.updatedAt)
    if (!restarted && stalledFor < ANSWER_STALL_SECONDS * 1000) continue
    const message = restarted
      ? 'The answer was interrupted: the backend restarted while writing it. Try again.'
      : `The answer was interrupted: it made no progress for ${ANSWER_STALL_SECONDS} s. Try again.`
    const event: ChatEvent = { type: 'error', data: { traceId: entry.traceId, code: ERROR_CODES.interrupted, message } }
    await stream.send<ChatEvent['data']>({ groupId: groupIdFor(entry.userId) }, event)
    await answer.fail()
    await markFinished(state, entry.traceId, entry.userId)
    logger.warn('Answer interrupted', { traceId: entry.traceId, userId: entry.userId, restarted, stalledMs: stalledFor })
    failed += 1
  }
  return failed
}
