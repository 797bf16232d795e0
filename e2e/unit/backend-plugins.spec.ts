import { expect, test } from '@playwright/test'
import { registerDirectMessageRoute } from '../../apps/backend/lib/http/direct-message-route'
import { liveInstances } from '../../apps/backend/lib/instance-heartbeat'
import { answersPerInstance, DEFAULT_EVENT_CONCURRENCY } from '../../apps/backend/lib/motia/event-concurrency'
import { InProcessEvents } from '../../apps/backend/lib/motia/in-process-events'
import { logsOnlyForTheWorkbench } from '../../apps/backend/lib/motia/logs'
import { tracesOnlyForTheWorkbench } from '../../apps/backend/lib/motia/traces'
import { isRedisOutage, redisOptions } from '../../apps/backend/lib/redis/backend-redis'

// How the backend's Motia plugins and settings read their configuration: what the stack runs (production mode, an
// external Redis) is proven by the api specs; the other side of each switch — Motia's routes open (`STACK_MODE=dev`),
// no external Redis, an unset bound — is proven here.

test('traces: with the routes closed every invocation gets a tracer that writes nothing; with them open Motia keeps its own', async () => {
  const ownTracer = async () => 'motia tracer'
  const closed = { tracerFactory: { createTracer: ownTracer, attachToTrace: ownTracer } }
  tracesOnlyForTheWorkbench(false)(closed as never)
  const tracer = (await closed.tracerFactory.createTracer()) as unknown
  expect(tracer).not.toBe('motia tracer')
  expect(tracer?.constructor.name).toBe('NoTracer')
  expect(((await closed.tracerFactory.attachToTrace()) as unknown)?.constructor.name).toBe('NoTracer')

  const open = { tracerFactory: { createTracer: ownTracer, attachToTrace: ownTracer } }
  expect(tracesOnlyForTheWorkbench(true)(open as never)).toEqual({ workbench: [] })
  expect(open.tracerFactory).toEqual({ createTracer: ownTracer, attachToTrace: ownTracer })
})

test("logs: with the routes closed no line goes to Redis; with them open, or without the patched server's hook, nothing changes", async () => {
  const written: unknown[] = []
  const logStream = { set: async (...args: unknown[]) => void written.push(args) }
  const closed = { lockedData: { loggerFactory: { logStream } } }
  logsOnlyForTheWorkbench(false)(closed as never)
  await closed.lockedData.loggerFactory.logStream.set('motia:logs', 'line', { msg: 'answer for u1' })
  expect(written).toEqual([])

  const open = { lockedData: { loggerFactory: { logStream } } }
  logsOnlyForTheWorkbench(true)(open as never)
  await open.lockedData.loggerFactory.logStream.set('motia:logs', 'line', {})
  expect(written).toHaveLength(1)

  expect(logsOnlyForTheWorkbench(false)({ lockedData: {} } as never)).toEqual({ workbench: [] })
})

test(`answers per instance: ANSWERS_PER_INSTANCE when it is a positive whole number, else ${DEFAULT_EVENT_CONCURRENCY}`, () => {
  expect(answersPerInstance({ ANSWERS_PER_INSTANCE: '12' })).toBe(12)
  for (const value of [undefined, '', '0', '-3', '2.5', 'many']) expect(answersPerInstance({ ANSWERS_PER_INSTANCE: value }), String(value)).toBe(DEFAULT_EVENT_CONCURRENCY)
})

test('events: a FIFO subscription runs one handler at a time, in order; one that names no concurrency runs them all at once', async () => {
  const events = new InProcessEvents()
  const started: string[] = []
  const finish = new Map<string, () => void>()
  const hold = (name: string) => (event: { data: { n: number } }) =>
    new Promise<void>((resolve) => {
      started.push(`${name}${event.data.n}`)
      finish.set(`${name}${event.data.n}`, resolve)
    })
  await events.subscribe('fifo.topic', 'Fifo', hold('f'), { type: 'fifo', maxRetries: 0, visibilityTimeout: 75, delaySeconds: 0 } as never)
  await events.subscribe('open.topic', 'Open', hold('o'))
  for (const n of [1, 2, 3]) {
    await events.emit({ topic: 'fifo.topic', data: { n }, traceId: `f${n}` } as never)
    await events.emit({ topic: 'open.topic', data: { n }, traceId: `o${n}` } as never)
  }
  await expect.poll(() => started.filter((s) => s.startsWith('o'))).toEqual(['o1', 'o2', 'o3'])
  expect(started.filter((s) => s.startsWith('f'))).toEqual(['f1'])
  finish.get('f1')!()
  await expect.poll(() => started.filter((s) => s.startsWith('f'))).toEqual(['f1', 'f2'])
})

test('no heartbeat to read for no instance: an empty answer without asking Redis', async () => {
  const redis = { mGet: async () => Promise.reject(new Error('Redis was asked')) }
  expect(await liveInstances(redis as never, [])).toEqual(new Set())
  const live = await liveInstances({ mGet: async () => ['1700000000000', null] } as never, ['a', 'b'])
  expect(live).toEqual(new Set(['a']))
})

test('Redis is external only when its port is set; its password and host default when unset', () => {
  expect(redisOptions({})).toBeNull()
  expect(redisOptions({ MOTIA_REDIS_PORT: '6390' })).toMatchObject({ password: undefined, socket: { host: '127.0.0.1', port: 6390 } })
  const options = redisOptions({ MOTIA_REDIS_PORT: '6390', MOTIA_REDIS_HOST: '10.0.0.5', MOTIA_REDIS_PASSWORD: 's3cret' })
  expect(options).toMatchObject({ password: 's3cret', socket: { host: '10.0.0.5', port: 6390 } })
  const reconnect = (options!.socket as { reconnectStrategy: (retries: number) => number }).reconnectStrategy
  expect([0, 1, 5, 9, 50].map(reconnect), 'reconnects at most 1 s apart').toEqual([100, 200, 600, 1000, 1000])
})

test("an outage is told apart from a bug by the error's name or words, Error or not", () => {
  expect(isRedisOutage(Object.assign(new Error('The client is closed'), { name: 'ClientClosedError' }))).toBe(true)
  expect(isRedisOutage(new Error('connect ECONNREFUSED 127.0.0.1:6390'))).toBe(true)
  expect(isRedisOutage(Object.assign(new Error('Redis did not answer within 2000 ms'), { name: 'RedisDeadlineError' }))).toBe(true)
  expect(isRedisOutage('Socket closed unexpectedly')).toBe(true)
  expect(isRedisOutage(new TypeError("Cannot read properties of undefined (reading 'slice')"))).toBe(false)
  expect(isRedisOutage(undefined)).toBe(false)
})

test('without an external Redis the polling route is not served directly: the ChatMessage step answers it', () => {
  const routes: string[] = []
  const app = { get: (path: string) => void routes.push(path) }
  expect(registerDirectMessageRoute(app as never, {})).toBe(false)
  expect(routes).toEqual([])
})
