import type { InternalStateManager } from 'motia'

/** State group listing every answer not finished yet: what the sweep (steps/sweep-answers.step.ts) looks at. */
export const IN_PROGRESS_GROUP = 'answers-in-progress'

export interface InProgressEntry {
  traceId: string
  userId: string
  /**
   * The Motia server process whose step recorded the answer (a step's parent). A sweep run by another server
   * process knows that generation is gone: the backend restarted.
   */
  serverPid: number
}

export const markInProgress = (state: InternalStateManager, traceId: string, userId: string) =>
  state.set<InProgressEntry>(IN_PROGRESS_GROUP, traceId, { traceId, userId, serverPid: process.ppid })

export const markFinished = (state: InternalStateManager, traceId: string) => state.delete(IN_PROGRESS_GROUP, traceId)
