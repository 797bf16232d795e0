/**
 * Runs Node steps inside the server process: each step module is imported once (Motia's own compiled output, the
 * file its node-runner would import), and every invocation calls the step's handler with the context the runner
 * would have built — logger, state, streams, emit, traceId, flows — over the same server-side objects the
 * runner's RPC calls reach, traced the same way. A handler that outlives `infrastructure.handler.timeout` fails
 * its invocation. Installed by `warmStepsPlugin` (plugin.ts) through the hook patched into Motia's
 * `call-step-file.mjs` (see docs/ARCHITECTURE.md, "How steps run").
 *
 * Only types come from Motia here, so the unit specs drive this module with fakes.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'

// ------------------------------------------------------------------------ the slice of Motia this module uses

type LogLevel = 'info' | 'warn' | 'error' | 'debug'
export interface ServerLogger {
  log(entry: Record<string, unknown>): void
  error(message: string, args?: Record<string, unknown>): void
}
export interface Tracer {
  end(error?: { message: string; code?: unknown; stack?: string }): void
  stateOperation(operation: string, input: unknown): void
  streamOperation(stream: string, operation: string, input: unknown): void
  emitOperation(topic: string, data: unknown, success: boolean): void
}
export interface StreamInstance {
  get(groupId: string, id: string): Promise<unknown>
  set(groupId: string, id: string, data: unknown): Promise<unknown>
  delete(groupId: string, id: string): Promise<unknown>
  getGroup(groupId: string): Promise<unknown>
  send(channel: unknown, event: unknown): Promise<void>
}
export interface StepLike {
  filePath: string
  config: { name: string; type: string; flows?: string[]; emits?: unknown[] }
}
export interface StateManager {
  get(traceId: string, key: string): Promise<unknown>
  set(traceId: string, key: string, value: unknown): Promise<unknown>
  delete(traceId: string, key: string): Promise<unknown>
  clear(traceId: string): Promise<unknown>
  getGroup(groupId: string): Promise<unknown>
}
export interface MotiaLike {
  lockedData: { baseDir: string; getStreams(): Record<string, () => StreamInstance> }
  state: StateManager
  eventAdapter: { emit(event: Record<string, unknown>): Promise<void> }
  printer: { printInvalidEmit(step: StepLike, topic: string): void }
}
/** What `callStepFile` receives. */
export interface CallOptions {
  step: StepLike
  traceId: string
  data: unknown
  tracer: Tracer
  logger: ServerLogger
  contextInFirstArg?: boolean
  infrastructure?: { handler?: { timeout?: number } }
}
/** Motia internals handed over by the patched `call-step-file.mjs`. */
export interface CoreHelpers {
  compile(tsFilePath: string, projectRoot: string): Promise<string>
  isAllowedToEmit(step: StepLike, topic: string): boolean
}

type Handler = (...args: unknown[]) => unknown
type Middleware = (req: unknown, ctx: unknown, next: () => Promise<unknown>) => unknown
export interface StepModule {
  handler?: Handler
  config?: { middleware?: Middleware[] }
  default?: { handler?: Handler; config?: { middleware?: Middleware[] } }
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface StepInvokerOptions {
  /** Loads a module by file path; default: Motia's compile for .ts, then `import()`. */
  importModule?: (filePath: string, motia: MotiaLike, helpers: CoreHelpers) => Promise<StepModule>
  timers?: Timers
}

export interface StepInvoker {
  /** Node steps only (Python and Ruby keep their runners). */
  accepts(step: StepLike): boolean
  invoke(options: CallOptions, motia: MotiaLike, helpers: CoreHelpers): Promise<unknown>
}

// ------------------------------------------------------------------------------------------------- invoker

const NODE_STEP = /\.(ts|mts|cts|js|mjs|cjs)$/

export class StepTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`Step execution timed out after ${seconds} seconds`)
  }
}

const defaultImport = async (filePath: string, motia: MotiaLike, helpers: CoreHelpers): Promise<StepModule> => {
  const target = /\.tsx?$/.test(filePath) ? await helpers.compile(filePath, motia.lockedData.baseDir) : filePath
  return (await import(pathToFileURL(path.resolve(target)).href)) as StepModule
}

/** The node-runner's Logger: the same entry shape, handed to the server's logger as its RPC `log` would be. */
const stepLogger = (logger: ServerLogger, traceId: string, flows: string[] | undefined) => {
  const log = (level: LogLevel) => (msg: string, args?: Record<string, unknown>) => {
    const entry: Record<string, unknown> = { ...(args ?? {}) }
    if (entry.error instanceof Error) {
      const error = entry.error
      entry.error = { ...error, message: error.message, stack: error.stack, name: error.name }
    }
    logger.log({ ...entry, level, time: Date.now(), traceId, flows, msg })
  }
  return { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') }
}

/** What crossed the runner's process boundary was JSON; keep that, so a handler never shares objects with Motia. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T))

const errorInfo = (error: unknown) => {
  const e = error as { message?: string; code?: unknown; stack?: string }
  return { message: e?.message ?? String(error), code: e?.code, stack: e?.stack }
}

export const createStepInvoker = (options: StepInvokerOptions = {}): StepInvoker => {
  const importModule = options.importModule ?? defaultImport
  const timers: Timers = options.timers ?? { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) }
  const modules = new Map<string, Promise<StepModule>>()
  // Loads one module at a time: Motia's compile writes shared dependencies (lib/*) that another load may import.
  let loading: Promise<unknown> = Promise.resolve()

  const load = (step: StepLike, motia: MotiaLike, helpers: CoreHelpers) => {
    let module = modules.get(step.filePath)
    if (!module) {
      module = loading.then(() => importModule(step.filePath, motia, helpers))
      loading = module.catch(() => undefined)
      modules.set(step.filePath, module)
      // A failed import is retried by the next invocation.
      module.catch(() => modules.delete(step.filePath))
    }
    return module
  }

  const buildContext = (options: CallOptions, motia: MotiaLike, helpers: CoreHelpers) => {
    const { step, traceId, tracer, logger } = options
    const flows = step.config.flows
    const { state } = motia
    const streams: Record<string, Omit<StreamInstance, 'send'> & { send(channel: unknown, event: unknown): Promise<void> }> = {}
    for (const [name, factory] of Object.entries(motia.lockedData.getStreams())) {
      const stream = factory()
      streams[name] = {
        get: async (groupId, id) => (tracer.streamOperation(name, 'get', { groupId, id }), copy(await stream.get(groupId, id))),
        set: async (groupId, id, data) => (tracer.streamOperation(name, 'set', { groupId, id, data }), copy(await stream.set(groupId, id, copy(data)))),
        delete: async (groupId, id) => (tracer.streamOperation(name, 'delete', { groupId, id }), copy(await stream.delete(groupId, id))),
        getGroup: async (groupId) => (tracer.streamOperation(name, 'getGroup', { groupId }), copy(await stream.getGroup(groupId))),
        // Not traced, as in the patched runner path: ephemeral events come at token rate (and are serialised
        // for the sockets at once, so they are not copied either).
        send: (channel, event) => stream.send(channel, event),
      }
    }
    return {
      traceId,
      flows,
      logger: stepLogger(logger, traceId, flows),
      state: {
        get: async (traceId: string, key: string) => (tracer.stateOperation('get', { traceId, key }), copy(await state.get(traceId, key))),
        set: async (traceId: string, key: string, value: unknown) => (tracer.stateOperation('set', { traceId, key, value }), copy(await state.set(traceId, key, copy(value)))),
        delete: async (traceId: string, key: string) => (tracer.stateOperation('delete', { traceId, key }), copy(await state.delete(traceId, key))),
        clear: async (traceId: string) => (tracer.stateOperation('clear', { traceId }), copy(await state.clear(traceId))),
        getGroup: async (groupId: string) => (tracer.stateOperation('getGroup', { groupId }), copy(await state.getGroup(groupId))),
      },
      emit: async (input: { topic: string; data: unknown }) => {
        if (!helpers.isAllowedToEmit(step, input.topic)) {
          tracer.emitOperation(input.topic, input.data, false)
          return motia.printer.printInvalidEmit(step, input.topic)
        }
        tracer.emitOperation(input.topic, input.data, true)
        return motia.eventAdapter.emit({ ...copy(input), traceId, flows, logger, tracer })
      },
      streams,
    }
  }

  const withTimeout = <T>(work: Promise<T>, seconds: number | undefined, onTimeout: () => void): Promise<T> => {
    if (!seconds) return work
    let handle: unknown
    const timeout = new Promise<never>((_, reject) => {
      handle = timers.setTimeout(() => {
        onTimeout()
        reject(new StepTimeoutError(seconds))
      }, seconds * 1000)
    })
    return Promise.race([work, timeout]).finally(() => timers.clearTimeout(handle))
  }

  return {
    accepts: (step) => NODE_STEP.test(step.filePath),

    async invoke(options, motia, helpers) {
      const { step, tracer, logger, contextInFirstArg = false } = options
      const seconds = options.infrastructure?.handler?.timeout
      let timedOut = false
      try {
        const run = async () => {
          const module = await load(step, motia, helpers)
          const handler = module.handler ?? module.default?.handler
          const config = module.config ?? module.default?.config ?? {}
          if (typeof handler !== 'function') throw new Error(`Function handler not found in module ${step.filePath}`)
          const context = buildContext(options, motia, helpers)
          const data = copy(options.data)
          const middleware = Array.isArray(config.middleware) ? config.middleware : []
          const call = () => Promise.resolve(contextInFirstArg ? handler(context) : handler(data, context))
          const composed = middleware.reduceRight<() => Promise<unknown>>((next, m) => () => Promise.resolve(m(data, context, next)), call)
          const result = await composed()
          return result === undefined || result === null ? undefined : copy(result)
        }
        const result = await withTimeout(run(), seconds, () => {
          timedOut = true
          const message = `Step execution timed out after ${seconds} seconds`
          logger.error(message, { step: step.config.name, timeout: seconds })
          tracer.end({ message })
        })
        tracer.end()
        return result
      } catch (error) {
        if (!timedOut) tracer.end(errorInfo(error))
        throw error
      }
    },
  }
}
