import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'
import { warmStepsEnabled } from '../../apps/backend/lib/warm-steps/plugin'
import {
  createStepInvoker,
  StepTimeoutError,
  type CallOptions,
  type CoreHelpers,
  type MotiaLike,
  type StepModule,
  type Timers,
} from '../../apps/backend/lib/warm-steps/step-invoker'

/** Timers that fire only when the test says so. */
const fakeTimers = () => {
  let now = 0
  const pending = new Map<number, { at: number; callback: () => void }>()
  let next = 1
  const timers: Timers = {
    setTimeout: (callback, ms) => (pending.set(next, { at: now + ms, callback }), next++),
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  const advance = (ms: number) => {
    now += ms
    for (const [id, timer] of [...pending]) if (timer.at <= now) (pending.delete(id), timer.callback())
  }
  return { timers, advance, pending: () => pending.size }
}

const fakeMotia = () => {
  const calls: string[] = []
  const emitted: Record<string, unknown>[] = []
  const sent: unknown[] = []
  const invalidEmits: string[] = []
  const items = new Map<string, unknown>()
  const stream = {
    get: async (groupId: string, id: string) => items.get(`${groupId}/${id}`) ?? null,
    set: async (groupId: string, id: string, data: unknown) => (items.set(`${groupId}/${id}`, data), data),
    delete: async () => null,
    getGroup: async () => [...items.values()],
    send: async (channel: unknown, event: unknown) => void sent.push({ channel, event }),
  }
  const motia: MotiaLike = {
    lockedData: { baseDir: '/project', getStreams: () => ({ 'chat-messages': () => stream }) },
    state: {
      get: async (_t, key) => (calls.push(`state.get ${key}`), 'value'),
      set: async (_t, key, value) => (calls.push(`state.set ${key}`), value),
      delete: async () => null,
      clear: async () => null,
      getGroup: async () => [],
    },
    eventAdapter: { emit: async (event) => void emitted.push(event) },
    printer: { printInvalidEmit: (_step, topic) => void invalidEmits.push(topic) },
  }
  return { motia, calls, emitted, sent, invalidEmits, items }
}

const fakeTracer = () => {
  const ops: string[] = []
  const ends: (undefined | { message: string })[] = []
  return {
    ops,
    ends,
    tracer: {
      end: (error?: { message: string }) => void ends.push(error),
      stateOperation: (op: string) => void ops.push(`state.${op}`),
      streamOperation: (name: string, op: string) => void ops.push(`${name}.${op}`),
      emitOperation: (topic: string, _data: unknown, ok: boolean) => void ops.push(`emit ${topic} ${ok}`),
    },
  }
}

const fakeLogger = () => {
  const entries: Record<string, unknown>[] = []
  const errors: string[] = []
  return { entries, errors, logger: { log: (entry: Record<string, unknown>) => void entries.push(entry), error: (message: string) => void errors.push(message) } }
}

const helpers: CoreHelpers = {
  compile: async (file) => file,
  isAllowedToEmit: (step, topic) => (step.config.emits ?? []).includes(topic),
}

const setup = (modules: Record<string, StepModule>, timers?: Timers) => {
  const imports: string[] = []
  const invoker = createStepInvoker({
    importModule: async (file) => {
      imports.push(file)
      const module = modules[file]
      if (!module) throw new Error(`no module ${file}`)
      return module
    },
    timers,
  })
  const m = fakeMotia()
  const call = (file: string, data: unknown, extra: Partial<CallOptions> = {}) => {
    const t = fakeTracer()
    const l = fakeLogger()
    const options: CallOptions = {
      step: { filePath: file, config: { name: path.basename(file), type: 'event', flows: ['chat'], emits: ['allowed.topic'] } },
      traceId: 'trace-1',
      data,
      tracer: t.tracer,
      logger: l.logger,
      ...extra,
    }
    return { result: invoker.invoke(options, m.motia, helpers), tracer: t, logger: l }
  }
  return { invoker, imports, call, ...m }
}

test('imports a step module once, however many invocations run at once', async () => {
  let runs = 0
  const s = setup({ '/p/a.step.ts': { handler: async () => ({ status: 200, body: { run: ++runs } }) } })
  const results = await Promise.all([1, 2, 3].map(() => s.call('/p/a.step.ts', {}).result))
  await s.call('/p/a.step.ts', {}).result
  expect(s.imports).toEqual(['/p/a.step.ts'])
  expect(results.map((r) => (r as { body: { run: number } }).body.run).sort()).toEqual([1, 2, 3])
})

test('calls the handler with a copy of the data and the runner context; the trace ends once, without error', async () => {
  let seen: { data?: unknown; traceId?: string; flows?: unknown; streams?: string[] } = {}
  const s = setup({
    '/p/api.step.ts': {
      handler: async (data: unknown, context: unknown) => {
        const ctx = context as { traceId: string; flows: string[]; streams: object }
        seen = { data: structuredClone(data), traceId: ctx.traceId, flows: ctx.flows, streams: Object.keys(ctx.streams) }
        ;(data as { body: { n: number } }).body.n = 99
        return { status: 202, body: { ok: true } }
      },
    },
  })
  const data = { body: { n: 1 } }
  const { result, tracer } = s.call('/p/api.step.ts', data)
  expect(await result).toEqual({ status: 202, body: { ok: true } })
  expect(seen).toEqual({ data: { body: { n: 1 } }, traceId: 'trace-1', flows: ['chat'], streams: ['chat-messages'] })
  expect(data.body.n).toBe(1)
  expect(tracer.ends).toEqual([undefined])
})

test('logs in the runner’s entry shape, errors serialised', async () => {
  const s = setup({
    '/p/log.step.ts': {
      handler: async (_d: unknown, ctx: unknown) => {
        const { logger } = ctx as { logger: { info: Function; error: Function } }
        logger.info('hello', { userId: 'u1' })
        logger.error('failed', { error: new Error('boom') })
      },
    },
  })
  const { result, logger } = s.call('/p/log.step.ts', {})
  expect(await result).toBeUndefined()
  expect(logger.entries[0]).toMatchObject({ level: 'info', msg: 'hello', userId: 'u1', traceId: 'trace-1', flows: ['chat'] })
  expect(logger.entries[1]).toMatchObject({ level: 'error', msg: 'failed', error: { message: 'boom', name: 'Error' } })
})

test('streams and state reach the server’s objects, traced like the runner’s RPC (send is not traced)', async () => {
  const s = setup({
    '/p/streams.step.ts': {
      handler: async (_d: unknown, ctx: unknown) => {
        const { streams, state } = ctx as {
          streams: Record<string, { set: Function; get: Function; send: Function }>
          state: { get: Function; set: Function }
        }
        await streams['chat-messages']!.set('user:u1', 'T', { content: 'a' })
        const item = await streams['chat-messages']!.get('user:u1', 'T')
        await streams['chat-messages']!.send({ groupId: 'user:u1' }, { type: 'token', data: { seq: 0 } })
        await state.set('trace-1', 'k', 1)
        return { status: 200, body: { item, state: await state.get('trace-1', 'k') } }
      },
    },
  })
  const { result, tracer } = s.call('/p/streams.step.ts', {})
  expect(await result).toEqual({ status: 200, body: { item: { content: 'a' }, state: 'value' } })
  expect(tracer.ops).toEqual(['chat-messages.set', 'chat-messages.get', 'state.set', 'state.get'])
  expect(s.sent).toEqual([{ channel: { groupId: 'user:u1' }, event: { type: 'token', data: { seq: 0 } } }])
  expect(s.calls).toEqual(['state.set k', 'state.get k'])
})

test('emits what the step declares, with its trace; refuses the rest as the runner path does', async () => {
  const s = setup({
    '/p/emit.step.ts': {
      handler: async (_d: unknown, ctx: unknown) => {
        const { emit } = ctx as { emit: Function }
        await emit({ topic: 'allowed.topic', data: { x: 1 } })
        await emit({ topic: 'other.topic', data: {} })
      },
    },
  })
  const { result, tracer } = s.call('/p/emit.step.ts', {})
  await result
  expect(s.emitted).toHaveLength(1)
  expect(s.emitted[0]).toMatchObject({ topic: 'allowed.topic', data: { x: 1 }, traceId: 'trace-1', flows: ['chat'] })
  expect(s.emitted[0]!.tracer).toBeDefined()
  expect(s.invalidEmits).toEqual(['other.topic'])
  expect(tracer.ops).toEqual(['emit allowed.topic true', 'emit other.topic false'])
})

test('runs the step’s middleware around its handler, and context-first handlers', async () => {
  const order: string[] = []
  const s = setup({
    '/p/mw.step.ts': {
      config: {
        middleware: [
          async (_req, _ctx, next) => (order.push('outer in'), await next().finally(() => order.push('outer out'))),
          async (_req, _ctx, next) => (order.push('inner'), next()),
        ],
      },
      handler: async () => (order.push('handler'), { status: 200, body: {} }),
    },
    '/p/cron.step.ts': { handler: async (ctx: unknown) => ({ traceId: (ctx as { traceId: string }).traceId }) },
  })
  await s.call('/p/mw.step.ts', {}).result
  expect(order).toEqual(['outer in', 'inner', 'handler', 'outer out'])
  expect(await s.call('/p/cron.step.ts', undefined, { contextInFirstArg: true }).result).toEqual({ traceId: 'trace-1' })
})

test('the handler timeout fails that invocation only; the others finish', async () => {
  const clock = fakeTimers()
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const s = setup(
    {
      '/p/slow.step.ts': { handler: async (data: unknown) => ((data as { slow: boolean }).slow ? new Promise(() => undefined) : (await gate, 'done')) },
    },
    clock.timers,
  )
  const infrastructure = { handler: { timeout: 150 } }
  const slow = s.call('/p/slow.step.ts', { slow: true }, { infrastructure })
  const fast = s.call('/p/slow.step.ts', { slow: false }, { infrastructure })
  const slowOutcome = slow.result.then(
    () => 'resolved',
    (error: unknown) => error,
  )
  await expect.poll(() => clock.pending()).toBe(2)
  clock.advance(149_999)
  release()
  expect(await fast.result).toBe('done')
  expect(clock.pending()).toBe(1)
  clock.advance(1)
  const error = await slowOutcome
  expect(error).toBeInstanceOf(StepTimeoutError)
  expect((error as Error).message).toBe('Step execution timed out after 150 seconds')
  expect(slow.logger.errors).toEqual(['Step execution timed out after 150 seconds'])
  expect(slow.tracer.ends).toEqual([{ message: 'Step execution timed out after 150 seconds' }])
  expect(fast.tracer.ends).toEqual([undefined])
  expect(clock.pending()).toBe(0)
})

test('a throwing handler fails its invocation and ends its trace with the error; the module stays loaded', async () => {
  let calls = 0
  const s = setup({
    '/p/flaky.step.ts': {
      handler: async () => {
        if (calls++ === 0) throw new Error('first call fails')
        return 'ok'
      },
    },
  })
  const first = s.call('/p/flaky.step.ts', {})
  await expect(first.result).rejects.toThrow('first call fails')
  expect(first.tracer.ends).toEqual([expect.objectContaining({ message: 'first call fails' })])
  expect(await s.call('/p/flaky.step.ts', {}).result).toBe('ok')
  expect(s.imports).toHaveLength(1)
})

test('a module that fails to import fails that invocation and is retried by the next', async () => {
  const modules: Record<string, StepModule> = {}
  const s = setup(modules)
  await expect(s.call('/p/late.step.ts', {}).result).rejects.toThrow('no module /p/late.step.ts')
  modules['/p/late.step.ts'] = { handler: async () => 'loaded' }
  expect(await s.call('/p/late.step.ts', {}).result).toBe('loaded')
  await expect(setup({ '/p/none.step.ts': {} }).call('/p/none.step.ts', {}).result).rejects.toThrow('Function handler not found')
})

test('takes Node steps only', () => {
  const invoker = createStepInvoker()
  const step = (filePath: string) => ({ filePath, config: { name: 'S', type: 'event' } })
  expect(['a.step.ts', 'a.step.js', 'a.step.mjs'].map((f) => invoker.accepts(step(f)))).toEqual([true, true, true])
  expect(['a_step.py', 'a_step.rb'].map((f) => invoker.accepts(step(f)))).toEqual([false, false])
})

test('imports a real module file by default', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warm-steps-'))
  const file = path.join(dir, 'real.step.mjs')
  writeFileSync(file, 'export const handler = async (data, ctx) => ({ status: 200, body: { echo: data.x, traceId: ctx.traceId } })\n')
  const m = fakeMotia()
  const t = fakeTracer()
  const result = await createStepInvoker().invoke(
    { step: { filePath: file, config: { name: 'Real', type: 'api' } }, traceId: 'T9', data: { x: 7 }, tracer: t.tracer, logger: fakeLogger().logger },
    m.motia,
    helpers,
  )
  expect(result).toEqual({ status: 200, body: { echo: 7, traceId: 'T9' } })
})

test('the patched call-step-file hands the steps the invoker accepts to it', async () => {
  const coreFile = path.resolve('node_modules/@motiadev/core/dist/src/call-step-file.mjs')
  const { callStepFile } = (await import(pathToFileURL(coreFile).href)) as { callStepFile: (options: unknown, motia: unknown) => Promise<unknown> }
  const handed: unknown[] = []
  const stepInvoker = {
    accepts: (step: { filePath: string }) => step.filePath.endsWith('.ts'),
    invoke: async (options: unknown, _motia: unknown, core: CoreHelpers) => (handed.push(options), { compile: typeof core.compile, isAllowedToEmit: typeof core.isAllowedToEmit }),
  }
  const options = { step: { filePath: '/p/x.step.ts', config: { name: 'X', type: 'api', flows: [] } }, traceId: 'T', data: {} }
  expect(await callStepFile(options, { lockedData: { stepInvoker } })).toEqual({ compile: 'function', isAllowedToEmit: 'function' })
  expect(handed).toEqual([options])
})

test('warm steps are on under `motia start`, off under `motia dev`, and MOTIA_WARM_STEPS decides', () => {
  expect(warmStepsEnabled({}, ['node', 'motia', 'start'])).toBe(true)
  expect(warmStepsEnabled({}, ['node', 'motia', 'dev'])).toBe(false)
  expect(warmStepsEnabled({ MOTIA_WARM_STEPS: 'off' }, ['node', 'motia', 'start'])).toBe(false)
  expect(warmStepsEnabled({ MOTIA_WARM_STEPS: 'on' }, ['node', 'motia', 'dev'])).toBe(true)
})
