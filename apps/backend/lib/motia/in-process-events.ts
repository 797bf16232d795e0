import { DefaultQueueEventAdapter, type Event, type QueueConfig, type SubscriptionHandle } from 'motia'
import pLimit from 'p-limit'
import { DEFAULT_EVENT_CONCURRENCY } from './event-concurrency'

/**
 * Motia's own in-memory queue (what it uses without Redis), with each subscription running at most its
 * `infrastructure.queue.concurrency` handlers at once (Motia's in-memory queue starts every queued event at once).
 *
 * Motia 0.17 otherwise queues events in BullMQ: at 20 answers asked at once the worker fetched the jobs one Redis
 * round trip after another and started none before the queue was empty (30–40 ms from emit to handler), and every
 * job's data — the user's question — stayed in Redis after it ran (the last 1,000 jobs), a copy of the chat that no
 * access check guards. Nothing here needs a queue outside the process: the handler runs in the process that holds
 * the user's sockets (a stream event reaches only this process's sockets), and an answer whose process dies is ended
 * by the sweep (lib/sweep-answers.ts).
 */
export class InProcessEvents extends DefaultQueueEventAdapter {
  override subscribe<TData>(
    topic: string,
    stepName: string,
    handler: (event: Event<TData>) => void | Promise<void>,
    queueConfig?: QueueConfig,
  ): Promise<SubscriptionHandle> {
    const concurrency = (queueConfig?.type === 'standard' ? queueConfig.concurrency : undefined) ?? DEFAULT_EVENT_CONCURRENCY
    const limit = pLimit(queueConfig?.type === 'fifo' ? 1 : concurrency)
    return super.subscribe(topic, stepName, (event: Event<TData>) => limit(async () => handler(event)), queueConfig)
  }
}
