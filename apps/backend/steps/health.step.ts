import { API_ROUTES } from '@chat/protocol'
import type { ApiRouteConfig, ApiRouteHandler } from 'motia'
import { loadConfig } from '../lib/config'

export const config: ApiRouteConfig = {
  type: 'api',
  name: 'Health',
  description: 'Liveness and the configured provider chain',
  path: API_ROUTES.health.path,
  method: API_ROUTES.health.method,
  emits: [],
  flows: ['chat'],
}

export const handler: ApiRouteHandler<unknown, { status: number; body: unknown }, never> = async () => ({
  status: 200,
  body: { status: 'ok', providers: loadConfig().providers },
})
