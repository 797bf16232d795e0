import type { InternalStateManager } from 'motia'
import { SERVER_ID } from './server-id'

/** State group listing every answer not finished yet: what the sweep (steps/sweep-answers.step.ts) looks at. */
export const IN_PROGRESS_GROUP = 'answers-in-progress'

export interface InProgressEntry {
  traceId: string
  userId: string
  /**
   * The Motia server process that recorded the answer. A sweep run by another server process knows that
   * generation is gone: the backend restarted.
   */
  serverId: string
}

/** Keyed by user too: answer ids named by clients are unique per user only. */
const entryKey = (userId: string, traceId: string) => `${userId}/${traceId}`

export const markInProgress = (state: InternalStateManager, traceId: string, userId: string) =>
  state.set<InProgressEntry>(IN_PROGRESS_GROUP, entryKey(userId, traceId), { traceId, userId, serverId: SERVER_ID })

export const markFinished = (state: InternalStateManager, traceId: string, userId: string) =>
  state.delete(IN_PROGRESS_GROUP, entryKey(userId, traceId))
