/**
 * Stream events and item changes reach the sockets of every backend instance, through Redis pub/sub. Motia 0.17 hands
 * them to its own process's socket server only (`pushEvent`); the patched server.mjs sends each one to
 * `lockedData.streamFanOut` instead when it is set, and exposes the local delivery as `lockedData.deliverStreamEvent`.
 */
import type { MotiaPluginContext } from 'motia'
import { connectRedis, redisOptions } from '../redis/backend-redis'
import { SERVER_ID } from '../server-id'

/** One channel for every group: each instance receives every event and keeps those its sockets joined. */
export const STREAM_EVENTS_CHANNEL = 'chat:stream-events'

/** What Motia's stream wrapper publishes: an event or an item change of one group (and item). */
export interface StreamMessage extends StreamRoute {
  event: unknown
}

/** Which sockets a message goes to: those that joined its group, or its item. */
export interface StreamRoute {
  streamName: string
  groupId: string
  id?: string
}

/** Delivers a message, serialised as JSON, to this instance's sockets (the patched socket server stamps its time on it). */
export type DeliverStreamEvent = (route: StreamRoute, body: string) => void

interface FanOutHooks {
  deliverStreamEvent: DeliverStreamEvent
  streamFanOut?: (message: StreamMessage) => void
}

/**
 * Publishing delivers to this instance's sockets at once (as Motia did) and publishes for the others; an instance
 * skips what it published itself (Redis hands a subscriber its own connection's messages too), by the payload's
 * prefix. Every message of one instance goes out on one connection in order, and Redis hands them to each subscriber
 * in that order. A message is serialised once, where it is published: the payload is
 * `<origin>\n<[streamName, groupId, id] as JSON>\n<the message as JSON>`, and a receiver reads the small route to find
 * its sockets and hands them the message's JSON as it came (JSON has no raw line break to confuse the split).
 */
export const createStreamFanOut = (origin: string, deliver: DeliverStreamEvent, publish: (payload: string) => void) => {
  const own = `${origin}\n`
  return {
    publish(message: StreamMessage): void {
      const body = JSON.stringify(message)
      deliver(message, body)
      publish(`${own}${JSON.stringify([message.streamName, message.groupId, message.id ?? null])}\n${body}`)
    },
    receive(payload: string): void {
      if (payload.startsWith(own)) return
      const routeStart = payload.indexOf('\n') + 1
      const routeEnd = payload.indexOf('\n', routeStart)
      const [streamName, groupId, id] = JSON.parse(payload.slice(routeStart, routeEnd)) as [string, string, string | null]
      deliver(id === null ? { streamName, groupId } : { streamName, groupId, id }, payload.slice(routeEnd + 1))
    },
  }
}

/** How many publishes may wait for Redis during an outage (about a minute of tokens at full load); later ones are lost. */
const PUBLISH_QUEUE_LIMIT = 200_000

/** The Motia plugin: on with an external Redis (several instances share it); without one there is one instance. */
export const streamFanOutPlugin = (context: MotiaPluginContext) => {
  const options = redisOptions()
  if (!options) return { workbench: [] }
  const hooks = context.lockedData as unknown as FanOutHooks
  // Its own connection with an offline queue: while Redis is away, events wait in order and go out when it is back,
  // and a token is never held up by a command of the request path.
  const publisher = connectRedis('stream-fan-out', { ...options, commandsQueueMaxLength: PUBLISH_QUEUE_LIMIT })
  // Logged once per outage: the events in flight when the connection broke are lost for the other instances (their
  // sockets' watchdogs read the items).
  let dropping = false
  publisher.on('ready', () => (dropping = false))
  const fanOut = createStreamFanOut(SERVER_ID, hooks.deliverStreamEvent, (payload) => {
    publisher.publish(STREAM_EVENTS_CHANNEL, payload).catch(() => {
      if (!dropping) console.error('[stream-fan-out] events could not be published to the other instances')
      dropping = true
    })
  })
  hooks.streamFanOut = fanOut.publish
  const subscriber = connectRedis('stream-fan-out', options)
  subscriberReady = subscriber.subscribe(STREAM_EVENTS_CHANNEL, (payload) => {
    try {
      fanOut.receive(payload)
    } catch (error) {
      console.error('[stream-fan-out] an event from another instance could not be delivered', String(error))
    }
  })
  return { workbench: [] }
}

let subscriberReady: Promise<void> = Promise.resolve()

/** Resolves once this instance receives the other instances' events (its health check waits for it). */
export const streamFanOutReady = (): Promise<void> => subscriberReady
