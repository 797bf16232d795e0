import { expect, test } from '@playwright/test'
import { createStreamFanOut, type DeliverStreamEvent, type StreamMessage } from '../../apps/backend/lib/motia/stream-fan-out'

/** Redis pub/sub as the fan-out sees it: every payload to every subscriber, the publisher's own connection included. */
const channel = () => {
  const subscribers: Array<(payload: string) => void> = []
  return { publish: (payload: string) => subscribers.forEach((receive) => receive(payload)), subscribe: (receive: (payload: string) => void) => subscribers.push(receive) }
}

/** What a socket server is handed, read back as the message it stands for (its route must agree with it). */
const collect = (into: StreamMessage[]): DeliverStreamEvent => (route, body) => {
  const message = JSON.parse(body) as StreamMessage
  expect({ streamName: route.streamName, groupId: route.groupId, id: route.id }).toEqual({ streamName: message.streamName, groupId: message.groupId, id: message.id })
  into.push(message)
}

const token = (seq: number): StreamMessage => ({
  streamName: 'chat-messages',
  groupId: 'user:u1',
  event: { type: 'event', event: { type: 'token', data: { traceId: 't', seq, token: ` w${seq}`, provider: 'openai' } } },
})

test('every instance delivers each message once, in the order its instance published them: its own at once, the others\' through the channel', () => {
  const redis = channel()
  const delivered: Record<string, StreamMessage[]> = { a: [], b: [], c: [] }
  const instances = Object.fromEntries(
    Object.keys(delivered).map((name) => [name, createStreamFanOut(`instance-${name}`, collect(delivered[name]!), redis.publish)]),
  )
  for (const instance of Object.values(instances)) redis.subscribe(instance.receive)

  const fromA = [0, 1, 2].map(token)
  const fromB = [{ ...token(0), id: 'item-1', event: { type: 'update', data: { id: 'item-1' } } }]
  for (const message of fromA) instances.a!.publish(message)
  for (const message of fromB) instances.b!.publish(message)

  for (const name of Object.keys(delivered)) expect(delivered[name], `instance ${name}`).toEqual([...fromA, ...fromB])
})

test('an instance id that prefixes another\'s still tells them apart', () => {
  const redis = channel()
  const short: StreamMessage[] = []
  const long: StreamMessage[] = []
  const a = createStreamFanOut('node', collect(short), redis.publish)
  const b = createStreamFanOut('node-2', collect(long), redis.publish)
  redis.subscribe(a.receive)
  redis.subscribe(b.receive)
  b.publish(token(7))
  expect(short).toEqual([token(7)])
  expect(long).toEqual([token(7)])
})

test('another instance\'s message reaches the sockets as the JSON it was published as, line breaks and all, never parsed again', () => {
  const redis = channel()
  const bodies: Record<string, string[]> = { a: [], b: [] }
  const a = createStreamFanOut('a', (_route, body) => bodies.a!.push(body), redis.publish)
  const b = createStreamFanOut('b', (_route, body) => bodies.b!.push(body), redis.publish)
  redis.subscribe(a.receive)
  redis.subscribe(b.receive)
  const message = { ...token(3), id: 'item\n7', event: { type: 'update', data: { content: 'line one\nline two\n' } } }
  a.publish(message)
  expect(bodies.b).toEqual([JSON.stringify(message)])
  expect(bodies.b).toEqual(bodies.a)
})
