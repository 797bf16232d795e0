import { randomUUID } from 'node:crypto'
import type { CronAdapter, CronLock } from 'motia'
import { SERVER_ID } from '../server-id'

/**
 * Runs each cron job on every backend instance. Motia's Redis cron adapter lets one instance run a job per tick
 * under a lock held 300 s (the cron handler's fixed TTL), so an instance that died while running the sweep would
 * stop every instance's sweep for five minutes. The one cron job here, the sweep, takes a lock of its own that
 * lapses in seconds (lib/sweep-answers.ts).
 */
export class EveryInstanceCron implements CronAdapter {
  async acquireLock(jobName: string, ttl: number): Promise<CronLock> {
    const now = Date.now()
    return { jobName, lockId: randomUUID(), acquiredAt: now, expiresAt: now + ttl, instanceId: SERVER_ID }
  }
  async releaseLock(): Promise<void> {}
  async renewLock(): Promise<boolean> {
    return true
  }
  async isHealthy(): Promise<boolean> {
    return true
  }
  async shutdown(): Promise<void> {}
  async getActiveLocks() {
    return []
  }
}
