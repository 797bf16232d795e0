import type { MotiaPluginContext } from 'motia'

interface LoggerFactoryHook {
  loggerFactory?: { logStream: { set: (...args: unknown[]) => Promise<unknown> } }
}

/**
 * Motia writes every log line to Redis (`motia:logs:*`, kept 72 h: about 2 keys per answer, with the user's and the
 * answer's ids) for its workbench, and publishes it to the log stream's sockets. With Motia's routes closed
 * (production mode) nothing can read them, so this plugin leaves them unwritten; the lines still go to the
 * process's output. `MOTIA_ROUTES=open` keeps them. Motia's logger factory is reached through the patched server.mjs.
 */
export const logsOnlyForTheWorkbench = (routesOpen: boolean) => (context: MotiaPluginContext) => {
  const factory = (context.lockedData as unknown as LoggerFactoryHook).loggerFactory
  if (!routesOpen && factory) factory.logStream = { set: async () => null }
  return { workbench: [] }
}
