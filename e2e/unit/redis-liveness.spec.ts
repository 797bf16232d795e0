import { expect, test } from '@playwright/test'
import { REDIS_ANSWER_BOUND_MS, RedisLiveness } from '../../apps/backend/lib/redis/redis-liveness'

/** A client whose PINGs are answered only when the spec says so, on a clock the spec moves. */
const setUp = () => {
  const pings: (() => void)[] = []
  const client = { isReady: true, ping: () => new Promise<void>((resolve) => pings.push(resolve)) }
  let now = 0
  const heard: string[] = []
  const liveness = new RedisLiveness(client, { hung: () => heard.push('hung'), answering: () => heard.push('answering') }, () => now)
  return { client, pings, liveness, heard, at: (ms: number) => (now = ms) }
}
const settle = () => new Promise((resolve) => setImmediate(resolve))

test(`a PING unanswered for more than ${REDIS_ANSWER_BOUND_MS} ms marks Redis hung; its answer marks it answering again, once each`, async () => {
  const { pings, liveness, heard, at } = setUp()
  liveness.tick()
  expect(pings).toHaveLength(1)
  at(REDIS_ANSWER_BOUND_MS)
  liveness.tick()
  expect(liveness.answering, 'at the bound, not yet').toBe(true)
  at(REDIS_ANSWER_BOUND_MS + 1)
  liveness.tick()
  liveness.tick()
  expect(liveness.answering).toBe(false)
  expect(pings, 'one PING out at a time').toHaveLength(1)
  pings[0]!()
  await settle()
  expect(liveness.answering).toBe(true)
  expect(heard).toEqual(['hung', 'answering'])
})

test('PINGs answered in time never mark Redis hung, however long it runs', async () => {
  const { pings, liveness, heard, at } = setUp()
  for (let i = 0; i < 20; i++) {
    at(i * 250)
    liveness.tick()
    pings.shift()?.()
    await settle()
  }
  expect(liveness.answering).toBe(true)
  expect(heard).toEqual([])
})

test('a closed connection is not probed, and reads as not answering', () => {
  const { client, pings, liveness } = setUp()
  client.isReady = false
  liveness.tick()
  expect(pings).toHaveLength(0)
  expect(liveness.answering).toBe(false)
})
