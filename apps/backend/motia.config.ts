import { API_ROUTES } from '@chat/protocol'
import type { Express } from 'express'
import type { Config } from 'motia'
import './lib/server-id'
import { authenticateSocket } from './lib/auth/stream-auth'
import { loadConfig } from './lib/config'
import { appRoutesOnly, decodablePaths } from './lib/http/app-surface'
import { corsForOrigins } from './lib/http/cors'
import { registerDirectMessageRoute } from './lib/http/direct-message-route'
import { jsonBody, jsonBodyErrors, jsonPostsOnly } from './lib/http/json-body'
import { jsonErrors } from './lib/http/json-errors'
import { unavailableWhileRedisIsDown } from './lib/http/redis-availability'
import { firstHeartbeat, instanceHeartbeatPlugin } from './lib/instance-heartbeat'
import { EveryInstanceCron } from './lib/motia/every-instance-cron'
import { InProcessEvents } from './lib/motia/in-process-events'
import { logsOnlyForTheWorkbench } from './lib/motia/logs'
import { socketExpiryPlugin } from './lib/motia/socket-expiry'
import { streamAccess } from './lib/motia/stream-access'
import { streamFanOutPlugin, streamFanOutReady } from './lib/motia/stream-fan-out'
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
    // An instance counts as up for the balancer once it receives the other instances' stream events and its heartbeat
    // is in Redis (a sweep would take its answers for a dead instance's before).
    app.get(API_ROUTES.health.path, (_req, _res, next) => void Promise.all([streamFanOutReady(), firstHeartbeat()]).then(() => next(), next))
  },
  // Plugins run once Motia's streams and routes exist.
  plugins: [
    warmStepsPlugin,
    streamAccess,
    socketExpiryPlugin,
    streamFanOutPlugin,
    instanceHeartbeatPlugin,
    tracesOnlyForTheWorkbench(motiaRoutesOpen),
    logsOnlyForTheWorkbench(motiaRoutesOpen),
    () => {
      server?.use(jsonErrors)
      return { workbench: [] }
    },
  ],
  // Emitted events run in this process (lib/motia/in-process-events.ts), not through BullMQ; cron jobs run on every
  // instance (the sweep locks itself).
  adapters: { events: new InProcessEvents(), cron: new EveryInstanceCron() },
  streamAuth: {
    contextSchema: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
    authenticate: authenticateSocket(corsOrigins),
  },
}

export default config
