/** How many handlers of one event subscription run at once when its step names no `infrastructure.queue.concurrency`. */
export const DEFAULT_EVENT_CONCURRENCY = 256
