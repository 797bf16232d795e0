/**
 * `npm run stack`: Redis, the fake LLM, the Motia backend and every frontend, under one concurrently.
 * Refuses to start when a port is busy, prints one ready line, and stops everything on Ctrl-C or SIGTERM.
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import concurrently from 'concurrently'
import waitOn from 'wait-on'
import { busyPorts } from './check-ports'
import { loadStackEnv, ROOT } from './stack-env'
import { createStackSecrets } from './stack-secrets'
import { existingFrontends, stackServices } from './stack-services'

const READY_TIMEOUT_MS = 120_000
export const LOG_DIR = path.join(ROOT, '.stack', 'logs')

const fail = (message: string): never => {
  console.error(`[stack] ${message}`)
  process.exit(1)
}

const buildMissingFrontends = () => {
  for (const app of existingFrontends()) {
    if (existsSync(path.join(ROOT, 'apps', app.name, app.buildOutput))) continue
    console.log(`[stack] ${app.name} has no production build yet: building it`)
    const build = spawnSync('npm', ['run', '--silent', 'build', '-w', `apps/${app.name}`], { cwd: ROOT, stdio: 'inherit' })
    if (build.status !== 0) fail(`building ${app.name} failed (see above)`)
  }
}

const main = async () => {
  loadStackEnv()
  const motiaDir = mkdtempSync(path.join(os.tmpdir(), 'motia-stack-'))
  const busy = await busyPorts(stackServices(process.env, motiaDir))
  if (busy.length > 0) {
    fail(
      `port${busy.length > 1 ? 's' : ''} in use: ${busy.map((s) => `${s.port} (${s.name})`).join(', ')}. ` +
        'Stop whatever listens there (e.g. an earlier stack: `lsof -i :PORT`), then start again.',
    )
  }
  if (process.env.STACK_MODE !== 'dev') buildMissingFrontends()
  // Only now: a stack refused for busy ports must not replace the secrets of the one already running.
  const services = stackServices(process.env, motiaDir, createStackSecrets(process.env))

  rmSync(LOG_DIR, { recursive: true, force: true })
  mkdirSync(LOG_DIR, { recursive: true })

  const { commands, result } = concurrently(
    services.map((service) => ({
      name: service.name,
      command: service.command,
      cwd: service.cwd,
      prefixColor: service.color,
      env: { ...process.env, FORCE_COLOR: '1', ...service.env },
    })),
    { killOthersOn: ['failure', 'success'], prefix: 'name', handleInput: false, killSignal: 'SIGTERM' },
  )
  for (const command of commands) {
    const log = createWriteStream(path.join(LOG_DIR, `${command.name}.log`))
    command.stdout.subscribe((chunk) => log.write(chunk))
    command.stderr.subscribe((chunk) => log.write(chunk))
  }

  const stopped = result.then(
    () => 0,
    () => 1,
  )
  stopped.then((code) => {
    rmSync(motiaDir, { recursive: true, force: true })
    process.exit(code)
  })

  const startedAt = Date.now()
  try {
    await waitOn({ resources: services.map((s) => s.readyUrl), timeout: READY_TIMEOUT_MS, interval: 250, validateStatus: (s) => s < 500 })
  } catch {
    console.error(`[stack] not ready after ${READY_TIMEOUT_MS / 1000} s; stopping`)
    for (const command of commands) command.kill('SIGTERM')
    return
  }
  const urls = services.filter((s) => s.name !== 'redis').map((s) => `${s.name} http://localhost:${s.port}`)
  console.log(`[stack] Stack ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${urls.join(' · ')}`)
}

void main()
