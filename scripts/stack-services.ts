import { existsSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from './stack-env'
import { REDIS_DIR } from './stack-paths'

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
  name: string
  port: number
  /** Where a production build must exist before `start` can serve it. */
  buildOutput: string
}

export const FRONTENDS: readonly Frontend[] = [
  { name: 'web', port: 3001, buildOutput: '.next/BUILD_ID' },
  { name: 'web-a', port: 5173, buildOutput: 'dist/index.html' },
  { name: 'web-b', port: 5174, buildOutput: 'dist/index.html' },
  { name: 'web-c', port: 5175, buildOutput: 'dist/index.html' },
]

const COLORS = ['magenta', 'cyan', 'green', 'yellow', 'blue', 'white', 'gray']

/** Frontends that exist in this checkout (an app folder with sources). */
export const existingFrontends = (): Frontend[] =>
  FRONTENDS.filter((app) => existsSync(path.join(ROOT, 'apps', app.name, 'src')))

export const stackServices = (env: NodeJS.ProcessEnv, motiaDir: string): Service[] => {
  const mode = env.STACK_MODE === 'dev' ? 'dev' : 'prod'
  const backendPort = Number(env.BACKEND_PORT ?? 3000)
  const fakePort = Number(env.FAKE_LLM_PORT ?? 4010)
  const redisPort = Number(env.REDIS_PORT ?? 6390)
  const core: Service[] = [
    {
      name: 'redis',
      port: redisPort,
      // Every stack starts from an empty Redis (a fresh .stack/redis), so no stream, state or queued job of an earlier
      // run comes back; within a run every write is on disk (AOF, fsync always), so a Redis that dies and is
      // restarted comes back with all it had, as a production Redis would.
      command: `${env.REDIS_SERVER_BIN ?? 'redis-server'} --port ${redisPort} --bind 127.0.0.1 --save '' --dir ${REDIS_DIR} --appendonly yes --appendfsync always`,
      cwd: ROOT,
      readyUrl: `tcp:127.0.0.1:${redisPort}`,
      color: 'red',
    },
    {
      name: 'fake-llm',
      port: fakePort,
      // In this process (not under npm or tsx's CLI, which run it as a child), so its PID is the server's.
      command: `${process.execPath} --import tsx src/main.ts`,
      cwd: path.join(ROOT, 'fixtures/fake-llm'),
      readyUrl: `http-get://localhost:${fakePort}/health`,
      color: 'gray',
    },
    {
      name: 'backend',
      port: backendPort,
      command: `${path.join(ROOT, 'node_modules/.bin/motia')} ${mode === 'dev' ? 'dev' : 'start'} --port ${backendPort} --motia-dir ${motiaDir}`,
      cwd: path.join(ROOT, 'apps/backend'),
      readyUrl: `http-get://localhost:${backendPort}/api/health`,
      color: 'blue',
      env: {
        MOTIA_DISABLE_MEMORY_SERVER: 'true',
        MOTIA_REDIS_HOST: '127.0.0.1',
        MOTIA_REDIS_PORT: String(redisPort),
        MOTIA_DOCKER_DISABLE_WORKBENCH: 'true',
      },
    },
  ]
  // STACK_FRONTENDS=off: Redis, the fake LLM and the backend only (enough for the api and faults projects).
  if (env.STACK_FRONTENDS === 'off') return core
  const frontends = existingFrontends().map(
    (app, index): Service => ({
      name: app.name,
      port: app.port,
      command: `npm run --silent ${mode === 'dev' ? 'dev' : 'start'}`,
      cwd: path.join(ROOT, 'apps', app.name),
      readyUrl: `http-get://localhost:${app.port}/`,
      color: COLORS[index % COLORS.length] ?? 'white',
    }),
  )
  return [...core, ...frontends]
}
