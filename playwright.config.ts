import { defineConfig, devices, type PlaywrightWorkerOptions } from '@playwright/test'
import { APP_NAMES, appOrigin, type AppName } from '@chat/apps'
import type { AppOptions } from './fixtures/test'
import { loadStackEnv } from './scripts/stack-env'

// The stack's settings (`.env`, then `.env.example`), here and not only in globalSetup: spec files read some when
// they load (the provider bounds), and `--list` loads every spec file without running globalSetup. Loading them
// starts nothing, and the real environment still wins.
loadStackEnv()
// Until globalSetup starts or reuses a stack (it sets 0), Playwright only discovers tests: a spec file that reads the stack's secrets as it
// loads gets empty ones instead of an error (scripts/stack-secrets.ts). `--list` runs no globalSetup, so no stack.
process.env.PW_DISCOVERY ??= '1'

const CI = Boolean(process.env.CI)
type TraceMode = Extract<PlaywrightWorkerOptions['trace'], object>['mode']

const appProject = (name: AppName) => ({
  name,
  testDir: './e2e/ui',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: appOrigin(name),
    appName: name,
  },
})

export default defineConfig<AppOptions>({
  globalSetup: './fixtures/stack/global-setup.ts',
  fullyParallel: true,
  forbidOnly: CI,
  retries: CI ? 2 : 0,
  failOnFlakyTests: CI,
  // One per core (CI's runners have 2): each drives a browser against the one stack on the same cores, and a third
  // made first tokens late on a busy machine.
  workers: Number(process.env.PW_WORKERS ?? 2),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never' }], ['./fixtures/reporters/summary-reporter.ts']],
  use: {
    // PW_TRACE takes any of Playwright's trace modes (`on` records every test, `on-first-retry` only retries).
    // Without the screencast (PW_TRACE_SCREENSHOTS=on adds it): encoding every frame of every page for it, the
    // browser projects took 6.4 min instead of 5.4, and token to paint p95 was 74-97 ms per app instead of 33-44.
    trace: {
      mode: (process.env.PW_TRACE as TraceMode | undefined) ?? 'retain-on-failure',
      screenshots: process.env.PW_TRACE_SCREENSHOTS === 'on',
      snapshots: true,
      sources: true,
    },
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'unit', testDir: './e2e/unit' },
    { name: 'api', testDir: './e2e/api' },
    // Runs the suite's own CLI (sharding, merge-reports) the way the CI workflow does.
    { name: 'pipeline', testDir: './e2e/pipeline' },
    ...APP_NAMES.map(appProject),
    // Kills and stops the stack's services: only after every project that uses the stack, one test at a time
    // (unit and pipeline use no stack). STACK_FRONTENDS=off (a stack without frontends) leaves out the browser projects.
    // PW_FAULTS=off leaves the project out: CI's shards run without it, and a job of its own runs it.
    ...(process.env.PW_FAULTS === 'off'
      ? []
      : [
          {
            name: 'faults',
            testDir: './e2e/faults',
            use: devices['Desktop Chrome'],
            fullyParallel: false,
            workers: 1,
            timeout: 90_000,
            dependencies: ['api', ...(process.env.STACK_FRONTENDS === 'off' ? [] : APP_NAMES)],
          },
        ]),
  ],
})
