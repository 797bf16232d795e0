import path from 'node:path'
import { APP_NAMES, APPS, FRAMEWORKS, type AppName } from '@chat/apps'
import { ROOT } from './stack-env'
import type { StackSecrets } from './stack-secrets'
import { BALANCER, backendInstances } from './backend-instances'
import { BALANCER_CONF, REDIS_CONF, REDIS_DIR } from './stack-paths'

export interface Service {
  name: string
  port: number
  /** Shell command, run in `cwd`. */
  command: string
  cwd: string
  /** What wait-on polls before the stack counts as ready. */
  readyUrl: string
  color: string
  env?: Record<string, string>
}

export interface Frontend {
  name: AppName
  port: number
  /** Its folder, from the repository's root. */
  dir: string
  /** Where a production build must exist (in `dir`) before `start` can serve it. */
  buildOutput: string
  /** The flag of its server that sets the listening address. */
  hostFlag: string
}

const frontend = (name: AppName): Frontend => {
  const { port, dir, framework } = APPS[name]
  return { name, port, dir, ...FRAMEWORKS[framework] }
}

const COLORS = ['magenta', 'cyan', 'green', 'yellow', 'blue', 'white', 'gray']

/**
 * Every frontend of the registry. None is left out: a folder that is not an app fails the stack's start
 * (`checkAppFolder` in scripts/app-builds.ts), since Playwright runs a project for each.
 */
export const registryFrontends = (): Frontend[] => APP_NAMES.map(frontend)

/**
 * Every service listens on `HOST` (127.0.0.1 unless set). Secrets reach a service through its environment only,
 * never its command line (visible to every user of the machine in `ps`).
 */
export const stackServices = (env: NodeJS.ProcessEnv, motiaDir: string, secrets?: StackSecrets): Service[] => {
  const mode = env.STACK_MODE === 'dev' ? 'dev' : 'prod'
  const host = env.HOST || '127.0.0.1'
  const backendPort = Number(env.BACKEND_PORT ?? 3000)
  const fakePort = Number(env.FAKE_LLM_PORT ?? 4010)
  const redisPort = Number(env.REDIS_PORT ?? 6390)
  const core: Service[] = [
    {
      name: 'redis',
      port: redisPort,
      // Every stack starts from an empty Redis (a fresh .stack/redis), so no stream, state or queued job of an earlier
      // run comes back; within a run writes go to an append-only file, so a Redis that dies and is restarted comes
      // back with what it had, as a production Redis would. The password is in its config file (scripts/stack.ts
      // writes it), so it is in no process's arguments.
      command: `${env.REDIS_SERVER_BIN ?? 'redis-server'} ${REDIS_CONF} --port ${redisPort} --bind ${host} --save '' --dir ${REDIS_DIR} --appendonly yes --appendfsync everysec`,
      cwd: ROOT,
      readyUrl: `tcp:${host}:${redisPort}`,
      color: 'red',
    },
    {
      name: 'fake-llm',
      port: fakePort,
      // In this process (not under npm or tsx's CLI, which run it as a child), so its PID is the server's.
      command: `${process.execPath} --import tsx src/main.ts`,
      cwd: path.join(ROOT, 'fixtures/fake-llm'),
      readyUrl: `http-get://${host}:${fakePort}/health`,
      color: 'gray',
      env: { HOST: host, FAKE_LLM_CONTROL_TOKEN: secrets?.FAKE_LLM_CONTROL_TOKEN ?? '' },
    },
    ...backendInstances(env).map(
      (instance): Service => ({
        name: instance.name,
        port: instance.port,
        command: `${path.join(ROOT, 'node_modules/.bin/motia')} ${mode === 'dev' ? 'dev' : 'start'} --host ${host} --port ${instance.port} --motia-dir ${path.join(motiaDir, instance.name)}`,
        cwd: path.join(ROOT, 'apps/backend'),
        readyUrl: `http-get://${host}:${instance.port}/api/health`,
        color: 'blue',
        env: {
          MOTIA_DISABLE_MEMORY_SERVER: 'true',
          MOTIA_REDIS_HOST: host,
          MOTIA_REDIS_PORT: String(redisPort),
          MOTIA_REDIS_PASSWORD: secrets?.REDIS_PASSWORD ?? '',
          MOTIA_DOCKER_DISABLE_WORKBENCH: 'true',
          SESSION_SECRET: secrets?.SESSION_SECRET ?? '',
          MOTIA_ROUTES: mode === 'dev' ? 'open' : 'closed',
          // The balancer reaches the instances from the stack's host: its X-Forwarded-For names the client.
          TRUSTED_PROXIES: env.TRUSTED_PROXIES ?? host,
        },
      }),
    ),
    {
      name: BALANCER,
      port: backendPort,
      // In the foreground (-db), so the stack supervises it like any service; its config is scripts/balancer-config.ts's.
      command: `${env.HAPROXY_BIN ?? 'haproxy'} -db -f ${BALANCER_CONF}`,
      cwd: ROOT,
      readyUrl: `http-get://${host}:${backendPort}/api/health`,
      color: 'blue',
    },
  ]
  // STACK_FRONTENDS=off: Redis, the fake LLM and the backend only (enough for the api and faults projects).
  if (env.STACK_FRONTENDS === 'off') return core
  const frontends = registryFrontends().map(
    (app, index): Service => ({
      name: app.name,
      port: app.port,
      // The port is the registry's: an app's scripts name none.
      command: `npm run --silent ${mode === 'dev' ? 'dev' : 'start'} -- --port ${app.port} ${app.hostFlag} ${host}`,
      cwd: path.join(ROOT, app.dir),
      readyUrl: `http-get://${host}:${app.port}/`,
      color: COLORS[index % COLORS.length] ?? 'white',
      // `npm run coverage` covers the browser side of the apps, not their servers (an empty NODE_V8_COVERAGE is off).
      ...(env.NODE_V8_COVERAGE ? { env: { NODE_V8_COVERAGE: '' } } : {}),
    }),
  )
  return [...core, ...frontends]
}
