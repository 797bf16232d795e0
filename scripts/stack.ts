/**
 * `npm run stack`: Redis, the fake LLM, the Motia backend and every frontend, under one concurrently.
 * Refuses to start when a port is busy, prints one ready line, restarts a service that dies, and stops everything
 * on Ctrl-C or SIGTERM, or when a service keeps dying (RESTART_LIMIT deaths within RESTART_WINDOW_MS).
 */
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import concurrently from 'concurrently'
import waitOn from 'wait-on'
import { busyPorts } from './check-ports'
import { APP_NAMES } from '@chat/apps'
import { buildStale, checkAppFolder } from './app-builds'
import { loadStackEnv } from './stack-env'
import { createStackSecrets } from './stack-secrets'
import { BALANCER, backendInstances } from './backend-instances'
import { balancerConfig } from './balancer-config'
import { BALANCER_CONF, HOLD_DIR, holdFile, LOG_DIR, PID_DIR, REDIS_CONF, REDIS_DIR, serviceCommand } from './stack-paths'
import { stackServices } from './stack-services'

const READY_TIMEOUT_MS = 120_000
const RESTART_DELAY_MS = 1_000
const RESTART_LIMIT = 3
const RESTART_WINDOW_MS = 30_000

const fail = (message: string): never => {
  console.error(`[stack] ${message}`)
  process.exit(1)
}

/** Builds every app whose build is older than any of its inputs (scripts/app-builds.ts), saying which and why. */
const buildStaleFrontends = () => {
  try {
    buildStale(APP_NAMES)
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error))
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
  if (process.env.STACK_FRONTENDS !== 'off') {
    try {
      for (const name of APP_NAMES) checkAppFolder(name)
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error))
    }
    // Dev servers serve the sources themselves; production builds are made again whenever an input is newer.
    if (process.env.STACK_MODE !== 'dev') buildStaleFrontends()
  }
  // Only now: a stack refused for busy ports must not replace the secrets of the one already running.
  const secrets = createStackSecrets(process.env)
  const services = stackServices(process.env, motiaDir, secrets)

  for (const dir of [LOG_DIR, PID_DIR, HOLD_DIR, REDIS_DIR]) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
  }
  writeFileSync(REDIS_CONF, `requirepass ${secrets.REDIS_PASSWORD}\n`, { mode: 0o600 })
  const balancer = services.find((service) => service.name === BALANCER)!
  writeFileSync(BALANCER_CONF, balancerConfig({ host: process.env.HOST || '127.0.0.1', port: balancer.port, instances: backendInstances(process.env) }))

  const { commands, result } = concurrently(
    services.map((service) => ({
      name: service.name,
      command: serviceCommand(service.name, service.command),
      cwd: service.cwd,
      prefixColor: service.color,
      env: { ...process.env, FORCE_COLOR: '1', ...service.env },
    })),
    {
      // Restarts are ours (below), not concurrently's `restartTries`: it never restarts a command that ended with
      // code 0, and after one such end it stops restarting that command for good, crashes included.
      prefix: 'name',
      handleInput: false,
      killSignal: 'SIGTERM',
    },
  )

  let stopping = false
  let exitCode = 0
  const exit = () => {
    rmSync(motiaDir, { recursive: true, force: true })
    process.exit(exitCode)
  }
  // The stack exits once every service it stopped has ended.
  const exitOnceAllStopped = () => {
    if (stopping && commands.every((command) => command.state !== 'started')) exit()
  }
  const stopAll = (why: string) => {
    if (stopping) return
    stopping = true
    exitCode = 1
    console.error(`[stack] ${why}; stopping every service`)
    for (const command of commands) command.kill('SIGTERM')
    exitOnceAllStopped()
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => (stopping = true))

  for (const command of commands) {
    const log = createWriteStream(path.join(LOG_DIR, `${command.name}.log`))
    command.stdout.subscribe((chunk) => log.write(chunk))
    command.stderr.subscribe((chunk) => log.write(chunk))
    const deaths: number[] = []
    command.close.subscribe(({ exitCode }) => {
      if (stopping) return exitOnceAllStopped()
      // Any end the stack did not ask for is a death, a clean exit (a stray SIGTERM) included; one stopped by an
      // operator's hold (.stack/holds/<name>) is not, and it starts again once the hold is lifted.
      const now = Date.now()
      if (!existsSync(holdFile(command.name))) deaths.push(now)
      while (deaths.length > 0 && deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift()
      const line = `${command.name} died (${exitCode}), ${deaths.length} time(s) in ${RESTART_WINDOW_MS / 1000} s`
      if (deaths.length >= RESTART_LIMIT) {
        log.write(`[stack] ${line}: giving up\n`)
        stopAll(`${line}: it keeps dying`)
        return
      }
      const restart = `[stack] ${line}; restarting it in ${RESTART_DELAY_MS / 1000} s`
      log.write(`${restart}\n`)
      console.error(restart)
      // A held service waits in its own shell (see serviceCommand) until the hold is lifted.
      setTimeout(() => !stopping && command.start(), RESTART_DELAY_MS)
    })
  }

  // concurrently settles once every service ended once; a restarted service counts as ended, so only a stop exits.
  const settled = () => {
    if (stopping) exit()
  }
  result.then(settled, settled)

  const startedAt = Date.now()
  try {
    await waitOn({ resources: services.map((s) => s.readyUrl), timeout: READY_TIMEOUT_MS, interval: 250, validateStatus: (s) => s < 500 })
  } catch {
    console.error(`[stack] not ready after ${READY_TIMEOUT_MS / 1000} s; stopping`)
    for (const command of commands) command.kill('SIGTERM')
    return
  }
  const urls = services.filter((s) => s.name !== 'redis').map((s) => `${s.name === BALANCER ? 'backend' : s.name} http://localhost:${s.port}`)
  console.log(`[stack] Stack ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${urls.join(' · ')}`)
}

void main()
