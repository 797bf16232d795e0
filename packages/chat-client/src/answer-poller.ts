import type { AnswerReads } from './answer-reads'
import { afterTimeout } from './schedule'

export interface PollerOptions extends AnswerReads {
  traceId: string
  intervalMs: number
  onHealth(ok: boolean): void
}

const MAX_IDLE_INTERVAL_MS = 1500
const MAX_ERROR_INTERVAL_MS = 4000

/**
 * Polls one answer's item until it is complete or failed. Every backend request may cost a process spawn, so the
 * cadence backs off while nothing changes (×1.5 up to 1.5 s) and on errors (×2 up to 4 s), and stops at the end.
 */
export const pollAnswer = (options: PollerOptions): (() => void) => {
  let stopped = false
  let cancel: () => void = () => undefined
  const schedule = options.schedule ?? afterTimeout
  let interval = options.intervalMs
  let lastVersion: string | null = null

  const tick = async () => {
    if (stopped) return
    try {
      const item = await options.fetchItem(options.traceId)
      if (stopped) return
      options.onHealth(true)
      options.onItem(item)
      if (stopped || item.status === 'complete' || item.status === 'error') return
      const version = `${item.status}|${item.provider}|${item.content.length}`
      interval = version === lastVersion ? Math.min(interval * 1.5, MAX_IDLE_INTERVAL_MS) : options.intervalMs
      lastVersion = version
    } catch {
      if (stopped) return
      options.onHealth(false)
      interval = Math.min(interval * 2, MAX_ERROR_INTERVAL_MS)
    }
    cancel = schedule(() => void tick(), interval)
  }
  void tick()
  return () => {
    stopped = true
    cancel()
  }
}
