import type { Express } from 'express'
import type { Config } from 'motia'
import './lib/answers-in-progress'
import { authenticateSocket } from './lib/auth/stream-auth'
import { loadConfig } from './lib/config'
import { appRoutesOnly, decodablePaths } from './lib/http/app-surface'
import { corsForOrigins } from './lib/http/cors'
import { registerDirectMessageRoute } from './lib/http/direct-message-route'
import { jsonBody, jsonBodyErrors, jsonPostsOnly } from './lib/http/json-body'
import { jsonErrors } from './lib/http/json-errors'
import { unavailableWhileRedisIsDown } from './lib/http/redis-availability'
import { InProcessEvents } from './lib/motia/in-process-events'
import { streamAccess } from './lib/motia/stream-access'
import { tracesOnlyForTheWorkbench } from './lib/motia/traces'
import { warmStepsPlugin } from './lib/warm-steps/plugin'

const { corsOrigins, motiaRoutesOpen } = loadConfig()
let server: Express | undefined

const config: Config = {
  // Runs before Motia registers its own middleware and routes.
  app: (app) => {
    server = app
    app.use(corsForOrigins(corsOrigins))
    app.use(decodablePaths)
    if (!motiaRoutesOpen) app.use(appRoutesOnly())
    app.use(jsonPostsOnly)
    app.use(jsonBody)
    app.use(jsonBodyErrors)
    unavailableWhileRedisIsDown(app)
    registerDirectMessageRoute(app)
  },
  // Plugins run once Motia's streams and routes exist.
  plugins: [
    warmStepsPlugin,
    streamAccess,
    tracesOnlyForTheWorkbench(motiaRoutesOpen),
    () => {
      server?.use(jsonErrors)
      return { workbench: [] }
    },
  ],
  // Emitted events run in this process (lib/motia/in-process-events.ts), not through BullMQ.
  adapters: { events: new InProcessEvents() },
  streamAuth: {
    contextSchema: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
    authenticate: authenticateSocket(corsOrigins),
  },
}

export default config
