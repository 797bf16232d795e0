import { ANSWER_STALL_SECONDS, ERROR_CODES, groupIdFor, INSTANCE_DEAD_AFTER_SECONDS, type ChatEvent, type ChatMessage } from '@chat/protocol'
import type { InternalStateManager, Logger, MotiaStream } from 'motia'
import type { RedisClientType } from 'redis'
import { AnswerItem } from './answer-item'
import { IN_PROGRESS_GROUP, markFinished, type InProgressEntry } from './answers-in-progress'
import { liveInstances } from './instance-heartbeat'
import { answerEnded } from './limits/answer-limits'
import { lastOutageEnd } from './redis/backend-redis'
import { SERVER_ID } from './server-id'

const SWEEP_LOCK = 'chat:sweep-lock'
const SWEEP_LOCK_MS = 10_000
const RELEASE_IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

/**
 * Ends every answer that can no longer finish with `error { code: 'interrupted' }` (event and item): one generated
 * by a backend instance that is gone (its heartbeat lapsed: it died or restarted), or one streaming on a live
 * instance whose item has not changed for ANSWER_STALL_SECONDS. An answer still `pending` on a live instance waits
 * for its turn and is left alone. Finished answers leave the in-progress list. Every instance runs it; one at a time
 * sweeps (a lock in Redis), so an answer is failed once. Returns how many answers it failed (null: another swept).
 */
export const sweepAnswers = async (
  stream: MotiaStream<ChatMessage>,
  state: InternalStateManager,
  redis: RedisClientType,
  logger: Logger,
  now = Date.now(),
): Promise<number | null> => {
  if ((await redis.set(SWEEP_LOCK, SERVER_ID, { condition: 'NX', expiration: { type: 'PX', value: SWEEP_LOCK_MS } })) !== 'OK') return null
  try {
    const entries = await state.getGroup<InProgressEntry>(IN_PROGRESS_GROUP)
    const live = await liveInstances(redis, [...new Set(entries.map((entry) => entry.serverId))])
    // Just after Redis came back, live instances may not have renewed their lapsed heartbeats yet.
    const judgeInstances = now - lastOutageEnd(redis) >= INSTANCE_DEAD_AFTER_SECONDS * 1000
    let failed = 0
    for (const entry of entries) {
      const answer = await AnswerItem.load(stream, entry.userId, entry.traceId).catch(() => null)
      if (!answer || answer.status === 'complete' || answer.status === 'error') {
        await markFinished(state, entry.traceId, entry.userId)
        continue
      }
      const instanceGone = !live.has(entry.serverId)
      if (instanceGone && !judgeInstances) continue
      const stalledFor = now - Date.parse(answer.updatedAt)
      if (!instanceGone && (answer.status !== 'streaming' || stalledFor < ANSWER_STALL_SECONDS * 1000)) continue
      const message = instanceGone
        ? 'The answer was interrupted: the backend stopped while writing it. Try again.'
        : `The answer was interrupted: it made no progress for ${ANSWER_STALL_SECONDS} s. Try again.`
      const event: ChatEvent = { type: 'error', data: { traceId: entry.traceId, code: ERROR_CODES.interrupted, message } }
      // The item first: Redis is up (the lock says so), and whoever hears the event then reads it ended.
      await answer.fail()
      await stream.send<ChatEvent['data']>({ groupId: groupIdFor(entry.userId) }, event)
      await markFinished(state, entry.traceId, entry.userId)
      // Its tokens as the item last recorded them: the instance that streamed them cannot count them any more.
      await answerEnded(entry.userId, entry.traceId, answer.tokens)
      logger.warn('Answer interrupted', {
        traceId: entry.traceId,
        userId: entry.userId,
        instanceGone,
        serverId: entry.serverId,
        stalledMs: stalledFor,
      })
      failed += 1
    }
    return failed
  } finally {
    await redis.eval(RELEASE_IF_OURS, { keys: [SWEEP_LOCK], arguments: [SERVER_ID] }).catch(() => undefined)
  }
}
