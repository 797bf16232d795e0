import type { ChatMessage } from '@chat/protocol'
import { fetchChatMessage } from './chat-api'

export interface PollerOptions {
  baseUrl: string
  userId: string
  traceId: string
  intervalMs: number
  onItem(item: ChatMessage): void
  onHealth(ok: boolean): void
}

const MAX_IDLE_INTERVAL_MS = 1500
const MAX_ERROR_INTERVAL_MS = 4000

/**
 * Polls one answer's item until it is complete or failed. Every backend request spawns a process, so the cadence
 * backs off while nothing changes (×1.5 up to 1.5 s) and on errors (×2 up to 4 s), and stops at the end.
 */
export const pollAnswer = (options: PollerOptions): (() => void) => {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let interval = options.intervalMs
  let lastContent: string | null = null

  const tick = async () => {
    if (stopped) return
    try {
      const item = await fetchChatMessage(options.baseUrl, options.traceId, options.userId)
      if (stopped) return
      options.onHealth(true)
      options.onItem(item)
      if (item.status === 'complete' || item.status === 'error') return
      interval = item.content === lastContent ? Math.min(interval * 1.5, MAX_IDLE_INTERVAL_MS) : options.intervalMs
      lastContent = item.content
    } catch {
      if (stopped) return
      options.onHealth(false)
      interval = Math.min(interval * 2, MAX_ERROR_INTERVAL_MS)
    }
    timer = setTimeout(tick, interval)
  }
  void tick()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
