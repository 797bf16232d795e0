import { expect, test } from '@playwright/test'
import { createStreamFanOut, type StreamMessage } from '../../apps/backend/lib/motia/stream-fan-out'

/** Redis pub/sub as the fan-out sees it: every payload to every subscriber, the publisher's own connection included. */
const channel = () => {
  const subscribers: Array<(payload: string) => void> = []
  return { publish: (payload: string) => subscribers.forEach((receive) => receive(payload)), subscribe: (receive: (payload: string) => void) => subscribers.push(receive) }
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
    Object.keys(delivered).map((name) => [name, createStreamFanOut(`instance-${name}`, (message) => delivered[name]!.push(message), redis.publish)]),
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
  const a = createStreamFanOut('node', (message) => short.push(message), redis.publish)
  const b = createStreamFanOut('node-2', (message) => long.push(message), redis.publish)
  redis.subscribe(a.receive)
  redis.subscribe(b.receive)
  b.publish(token(7))
  expect(short).toEqual([token(7)])
  expect(long).toEqual([token(7)])
})
