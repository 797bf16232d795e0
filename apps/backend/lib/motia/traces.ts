import { NoTracer, type MotiaPluginContext } from 'motia'

/**
 * Motia traces every step invocation into Redis for its workbench: each state and stream call with its data — an
 * answer's whole text at each write of its item — and each log line, three Redis commands per change. With Motia's
 * routes closed (production mode) nothing can read them, so this plugin leaves them unwritten: a copy of every
 * user's chat no one checks access to, and work on every request and token write. `MOTIA_ROUTES=open` keeps them.
 */
export const tracesOnlyForTheWorkbench = (routesOpen: boolean) => (context: MotiaPluginContext) => {
  if (!routesOpen) {
    const noTracer = async () => new NoTracer()
    Object.assign(context.tracerFactory, { createTracer: noTracer, attachToTrace: noTracer })
  }
  return { workbench: [] }
}
