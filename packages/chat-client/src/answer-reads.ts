import type { ChatMessage } from '@chat/protocol'
import type { Now, Schedule } from './schedule'

/** How the poller and the watchdog read an answer's stored item and hand it on, and the timer they wait on. */
export interface AnswerReads {
  fetchItem(traceId: string): Promise<ChatMessage>
  onItem(item: ChatMessage): void
  /** Default: setTimeout; unit specs pass a manual clock. */
  schedule?: Schedule
  /** Default: `performance.now`; the time `schedule` runs on. */
  now?: Now
}
