import type { Config } from 'motia'
import { loadConfig } from './lib/config'
import { corsForOrigins } from './lib/http/cors'
import { registerDirectMessageRoute } from './lib/http/direct-message-route'
import { jsonBody, jsonBodyErrors } from './lib/http/json-body'
import { unavailableWhileRedisIsDown } from './lib/http/redis-availability'

const config: Config = {
  // Runs before Motia registers its own middleware and routes.
  app: (app) => {
    app.use(corsForOrigins(loadConfig().corsOrigins))
    app.use(jsonBody)
    app.use(jsonBodyErrors)
    unavailableWhileRedisIsDown(app)
    registerDirectMessageRoute(app)
  },
}

export default config
