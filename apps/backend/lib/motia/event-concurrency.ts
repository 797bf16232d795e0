/** How many handlers of one event subscription run at once when its step names no `infrastructure.queue.concurrency`. */
export const DEFAULT_EVENT_CONCURRENCY = 256

/**
 * How many answers one backend instance streams at once (`ANSWERS_PER_INSTANCE`): GenerateAnswer's concurrency and
 * the bound past which a POST gets `503 busy` (lib/answer-admission.ts), so no answer waits in the queue.
 */
export const answersPerInstance = (env: NodeJS.ProcessEnv = process.env): number => {
  const value = Number(env.ANSWERS_PER_INSTANCE)
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_EVENT_CONCURRENCY
}
