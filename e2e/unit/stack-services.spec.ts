import { APP_NAMES, APPS } from '@chat/apps'
import { expect, test } from '@playwright/test'
import { stackServices } from '../../scripts/stack-services'

// What the stack starts, by its environment: the suite's own runs always start everything in production mode (and
// `npm run coverage` always with NODE_V8_COVERAGE); the other settings — no frontends, dev servers, another host, no
// coverage — are read here from the service list itself, nothing started.
const names = (env: NodeJS.ProcessEnv) => stackServices(env, '/tmp/motia-spec').map((service) => service.name)

test('STACK_FRONTENDS=off starts Redis, the fake LLM, the backend instances and the balancer only', () => {
  const core = names({ STACK_FRONTENDS: 'off' })
  expect(core).toEqual(['redis', 'fake-llm', 'backend-1', 'backend-2', 'balancer'])
  expect(names({})).toEqual([...core, ...APP_NAMES])
})

test('STACK_MODE=dev runs the dev servers and opens Motia’s routes; HOST moves every service', () => {
  const dev = stackServices({ STACK_MODE: 'dev', HOST: '0.0.0.0' }, '/tmp/motia-spec')
  const backend = dev.find((service) => service.name === 'backend-1')!
  expect(backend.command).toMatch(/motia dev --host 0\.0\.0\.0 --port 3101 /)
  expect(backend.env).toMatchObject({ MOTIA_ROUTES: 'open', MOTIA_REDIS_HOST: '0.0.0.0', TRUSTED_PROXIES: '0.0.0.0' })
  const first = APP_NAMES[0]!
  const app = dev.find((service) => service.name === first)!
  expect(app.command).toContain(`npm run --silent dev -- --port ${APPS[first].port}`)
  expect(app.readyUrl).toBe(`http-get://0.0.0.0:${APPS[first].port}/`)
  const prod = stackServices({}, '/tmp/motia-spec').find((service) => service.name === 'backend-1')!
  expect(prod.command).toMatch(/motia start --host 127\.0\.0\.1 /)
  expect(prod.env).toMatchObject({ MOTIA_ROUTES: 'closed' })
})

test("under coverage the apps' servers are left unmeasured (an empty NODE_V8_COVERAGE); otherwise they get no environment of their own", () => {
  const apps = (env: NodeJS.ProcessEnv) => stackServices(env, '/tmp/motia-spec').filter((service) => (APP_NAMES as readonly string[]).includes(service.name))
  for (const app of apps({ NODE_V8_COVERAGE: '/tmp/raw' })) expect(app.env).toEqual({ NODE_V8_COVERAGE: '' })
  for (const app of apps({})) expect(app.env).toBeUndefined()
})
