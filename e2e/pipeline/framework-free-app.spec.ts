import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { chromium, expect, test } from '@playwright/test'
import { appOrigin } from '@chat/apps'
import { runPlaywright } from '../../fixtures/pipeline/playwright-cli'
import { ROOT } from '../../scripts/stack-env'
import { CHROMIUM_ARGS, chromiumExecutablePath } from '../../fixtures/stack/chromium'

// docs/ADDING-AN-APP.md stays true: the example app written there (every block marked `file=…`, exactly as written)
// is built in a temporary folder — plain TypeScript and DOM on Vite, no framework, on `createChatController` and the
// client's plain modules — and two UI specs run on it against the running stack, through the page object, as they
// run on every registered app. It is not registered: the browser reaches it at web-a's origin (which the backend
// admits; the page object installs the test's session for it), served from a port of its own (Chromium's host
// mapping), so nothing of the stack changes.

/** Two specs of the UI contract: tokens shown one by one as they arrive; a busy backend's banner, held Send and no Retry. */
const UI_SPECS = ['e2e/ui/progressive-rendering.spec.ts', 'e2e/ui/send-while-connecting.spec.ts']
/** The origin the app is opened at: a registered app's, so the backend admits it. */
const POSING_AS = 'web-a'
const GUIDE = path.join(ROOT, 'docs/ADDING-AN-APP.md')

/** The guide's files: every fenced block whose info string names `file=<path>`. */
const guideFiles = (): Map<string, string> => {
  const files = new Map<string, string>()
  for (const match of readFileSync(GUIDE, 'utf8').matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) files.set(match[1]!, match[2]!)
  return files
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

const stackAnswers = async () => {
  const answers = await Promise.all(
    ['http://localhost:3000/api/health', appOrigin(POSING_AS)].map((url) => fetch(url).then((r) => r.ok, () => false)),
  )
  return answers.every(Boolean)
}

const run = (command: string, args: string[], cwd: string) => {
  const started = performance.now()
  const result = spawnSync(process.execPath, [command, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { ...result, seconds: (performance.now() - started) / 1000 }
}

let preview: ChildProcess | null = null
test.afterEach(() => {
  preview?.kill('SIGTERM')
  preview = null
})

test('the guide\'s framework-free example app builds, type-checks, and passes two UI specs against the stack', async ({}, testInfo) => {
  test.skip(!(await stackAnswers()), 'needs the running stack (npm run stack): the UI specs talk to its backend')
  test.setTimeout(180_000)
  const files = guideFiles()
  expect([...files.keys()].toSorted(), 'the guide holds the whole app').toEqual(['index.html', 'package.json', 'src/main.ts', 'vite.config.ts'])

  const app = testInfo.outputPath('plain-app')
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true })
    writeFileSync(path.join(app, file), text)
  }
  // What `npm install` gives a workspace of the repository: its packages, `@chat/client` among them.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir')
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({ extends: path.join(ROOT, 'tsconfig.base.json'), compilerOptions: { types: ['vite/client'] }, include: ['src', 'vite.config.ts'] }),
  )

  const typecheck = await test.step('tsc --noEmit', () => run(path.join(ROOT, 'node_modules/typescript/bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], app))
  expect(typecheck.status, `${typecheck.stdout}${typecheck.stderr}`).toBe(0)
  const build = await test.step('vite build', () => run(path.join(ROOT, 'node_modules/vite/bin/vite.js'), ['build'], app))
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0)
  const bundle = readFileSync(path.join(app, 'dist/index.html'), 'utf8')
  expect(bundle).toContain('<script type="module"')

  const port = await freePort()
  preview = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: app,
    stdio: 'ignore',
  })
  await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.status, () => 0), { timeout: 20_000 }).toBe(200)

  const origin = new URL(appOrigin(POSING_AS))
  const mapping = `--host-resolver-rules=MAP ${origin.host} 127.0.0.1:${port}`
  // The browser given this mapping opens this app at the registered app's origin (not the registered app).
  await test.step('the origin serves this app', async () => {
    const browser = await chromium.launch({ executablePath: chromiumExecutablePath(true), args: [...CHROMIUM_ARGS, mapping] })
    try {
      const page = await browser.newPage()
      await page.goto(origin.origin)
      await expect(page).toHaveTitle('Motia Chat — plain')
    } finally {
      await browser.close()
    }
  })
  const config = path.join(app, 'playwright.config.mjs')
  writeFileSync(
    config,
    `import { defineConfig, devices } from '@playwright/test'
export default defineConfig({
  testDir: ${JSON.stringify(path.join(ROOT, 'e2e/ui'))},
  outputDir: ${JSON.stringify(testInfo.outputPath('ui-results'))},
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [{
    name: 'framework-free',
    use: {
      ...devices['Desktop Chrome'],
      baseURL: ${JSON.stringify(origin.origin)},
      appName: ${JSON.stringify(POSING_AS)},
      // The app's origin, served by this app's own server.
      launchOptions: { args: [${JSON.stringify(mapping)}] },
    },
  }],
})
`,
  )
  const report = testInfo.outputPath('ui.json')
  const started = performance.now()
  const ui = await test.step(`UI specs: ${UI_SPECS.join(', ')}`, () =>
    runPlaywright(['test', '--config', config, ...UI_SPECS.map((spec) => path.join(ROOT, spec))], { PLAYWRIGHT_JSON_OUTPUT_FILE: report }),
  )
  const uiSeconds = (performance.now() - started) / 1000
  writeFileSync(testInfo.outputPath('ui-output.txt'), ui.output)
  expect(ui.code, ui.output).toBe(0)
  const stats = (JSON.parse(readFileSync(report, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats
  expect(stats).toMatchObject({ unexpected: 0, flaky: 0, skipped: 0 })
  expect(stats.expected).toBeGreaterThanOrEqual(UI_SPECS.length)
  testInfo.annotations.push({
    type: 'cost',
    description: `tsc ${typecheck.seconds.toFixed(1)} s, vite build ${build.seconds.toFixed(1)} s, ${stats.expected} UI tests ${uiSeconds.toFixed(1)} s`,
  })
})
