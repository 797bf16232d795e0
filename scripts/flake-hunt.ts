/**
 * `npm run test:flakes [-- <playwright args>]`: the browser projects with `--repeat-each=5` and no retries, while a
 * load generator this script starts (and stops) keeps one core busy, so timing-dependent specs meet a slow machine.
 * Prints the flake count per spec (fixtures/reporters/flake-reporter.ts); exits non-zero on any flaky or failing
 * test. `--repeat-each` and `--project` given on the command line replace the defaults.
 */
import { spawn } from 'node:child_process'
import { APP_NAMES } from '@chat/apps'

const REPEATS = 5

/** Spins one core in 100 ms slices, and ends by itself once its parent is gone (so it never outlives a killed hunt). */
const SPINNER = `
const parent = process.ppid
const alive = () => { try { process.kill(parent, 0); return true } catch { return false } }
const spin = () => { const until = Date.now() + 100; while (Date.now() < until); if (alive()) setImmediate(spin) }
spin()
`

const args = process.argv.slice(2)
const given = (flag: string) => args.some((arg) => arg === flag || arg.startsWith(`${flag}=`))
const playwrightArgs = [
  'playwright',
  'test',
  ...(given('--project') ? [] : APP_NAMES.map((app) => `--project=${app}`)),
  ...(given('--repeat-each') ? [] : [`--repeat-each=${REPEATS}`]),
  '--retries=0',
  '--reporter=list,html,./fixtures/reporters/flake-reporter.ts',
  ...args,
]

const load = spawn(process.execPath, ['-e', SPINNER], { stdio: 'ignore' })
console.log(`[flakes] load generator on one core (pid ${load.pid}); npx ${playwrightArgs.join(' ')}`)
const stopLoad = () => {
  if (load.exitCode === null && load.signalCode === null) load.kill('SIGTERM')
}

const run = spawn('npx', playwrightArgs, { stdio: 'inherit', env: { ...process.env, PW_TEST_HTML_REPORT_OPEN: 'never' } })
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    run.kill(signal)
    stopLoad()
  })
}
run.on('exit', (code, signal) => {
  stopLoad()
  console.log('[flakes] load generator stopped')
  process.exit(code ?? (signal ? 1 : 0))
})
