import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import dotenv from 'dotenv'
import { expect, test } from '@playwright/test'
import { ROOT } from '../../scripts/stack-env'

/**
 * The suite as someone runs it in a checkout of their own: in a temporary copy of this working tree (its builds kept,
 * with their times), whose node_modules are links to this one's but for the workspace links, which point into the copy.
 */

/** Never copied: what a run, a stack or git leave, and Next's build (44 MB; no copy here serves web). */
const NOT_COPIED = new Set(['.git', '.stack', '.motia', 'test-results', 'playwright-report', 'blob-report', '.env', 'node_modules', '.next'])

const copyRepo = (): string => {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'chat-repo-'))
  cpSync(ROOT, repo, {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => !path.relative(ROOT, source).split(path.sep).some((part) => NOT_COPIED.has(part)),
  })
  // The root's node_modules: a link to each of this checkout's packages, but the workspace links (relative, as npm
  // makes them: @chat/client → ../../packages/chat-client), copied as they are, so they resolve into the copy.
  const linkModules = (from: string, to: string) => {
    mkdirSync(to)
    for (const entry of readdirSync(from)) {
      const source = path.join(from, entry)
      const isWorkspaceLink = (file: string) => lstatSync(file).isSymbolicLink() && !path.isAbsolute(readlinkSync(file))
      if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), path.join(to, entry))
      else if (entry.startsWith('@') && readdirSync(source).some((name) => isWorkspaceLink(path.join(source, name)))) linkModules(source, path.join(to, entry))
      else symlinkSync(source, path.join(to, entry))
    }
  }
  linkModules(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'))
  // Each workspace's own node_modules (the backend's SDK versions): links to this checkout's.
  for (const group of ['apps', 'packages', 'fixtures']) {
    for (const dir of readdirSync(path.join(ROOT, group))) {
      const modules = path.join(ROOT, group, dir, 'node_modules')
      if (existsSync(modules) && existsSync(path.join(repo, group, dir))) symlinkSync(modules, path.join(repo, group, dir, 'node_modules'))
    }
  }
  return repo
}

/** The environment of a run in the copy: this run's, without what this run's config and globalSetup loaded or set. */
const cleanEnv = (overrides: Record<string, string>): NodeJS.ProcessEnv => {
  const loaded = new Set(Object.keys(dotenv.parse(readFileSync(path.join(ROOT, '.env.example')))))
  const inherited = Object.entries(process.env).filter(
    ([key]) => !loaded.has(key) && !key.startsWith('TEST_') && !['GITHUB_STEP_SUMMARY', 'CI', 'PW_STACK', 'PW_DISCOVERY', 'BACKEND_URL', 'FAKE_LLM_URL', 'CHAT_COVERAGE', 'NODE_V8_COVERAGE'].includes(key),
  )
  return { ...Object.fromEntries(inherited), FORCE_COLOR: '0', ...overrides }
}

const run = (repo: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repo, 'node_modules/@playwright/test/cli.js'), ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })

/** Ports nothing listens on now (the usual ones may be another stack's). */
const freePorts = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => { const server = net.createServer().listen(0, '127.0.0.1', () => resolve(server)) })),
  )
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}

/** Starts the copy's stack (`npm run stack`) and waits for its ready line; the output so far, and a stop. */
const startStack = async (repo: string, env: NodeJS.ProcessEnv) => {
  const stack: ChildProcess = spawn(process.execPath, [path.join(repo, 'node_modules/tsx/dist/cli.mjs'), 'scripts/stack.ts'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const exited = new Promise<void>((resolve) => stack.once('exit', () => resolve()))
  const ready = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/Stack ready in/.test(output)) resolve()
    }
    stack.stdout!.on('data', onData)
    stack.stderr!.on('data', onData)
  })
  const stop = async () => {
    try {
      process.kill(-stack.pid!, 'SIGTERM')
    } catch {
      return // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))])
    try {
      process.kill(-stack.pid!, 'SIGKILL')
    } catch {
      // the group is empty
    }
  }
  await Promise.race([ready, exited])
  return { output: () => output, stop }
}

test('an app whose source changed after its build is built again before a UI spec runs on it; a running stack serving a build older than a file is refused', async ({}, testInfo) => {
  // Copy (~1 s), a stack of one backend and one app with web-a's build (~15-25 s), one UI test, then one refused start.
  test.setTimeout(180_000)
  const repo = copyRepo()
  const [balancer, instance, fakeLlm, redis, app] = await freePorts(5)
  // The copy's registry holds web-a alone, on a free port: its stack needs no other app, and no usual port.
  const registry = path.join(repo, 'packages/chat-apps/apps.js')
  const source = readFileSync(registry, 'utf8')
  const appsBlock = /(export const APPS = [\s\S]*?\(\s*\/\*\* @type \{const\} \*\/ \(\{\n)([\s\S]*?)(\n\s*\}\)\n)/.exec(source)
  expect(appsBlock, 'the APPS literal of packages/chat-apps/apps.js').not.toBeNull()
  writeFileSync(registry, source.replace(appsBlock![0], `${appsBlock![1]}    'web-a': { port: ${app}, framework: 'vite', dir: 'apps/web-a' },${appsBlock![3]}`))
  // The change: every message's text gains a marker, so the spec's exact-text assertion fails, naming it.
  const marker = `NEW-BUILD-${Date.now()}`
  const message = path.join(repo, 'apps/web-a/src/components/Message.jsx')
  const jsx = readFileSync(message, 'utf8')
  expect(jsx).toContain('{message.content}</span>')
  writeFileSync(message, jsx.replace('{message.content}</span>', `{message.content}{' ${marker}'}</span>`))

  const env = cleanEnv({
    BACKEND_PORT: String(balancer),
    BACKEND_INSTANCES: '1',
    BACKEND_INSTANCE_BASE_PORT: String(instance! - 1),
    FAKE_LLM_PORT: String(fakeLlm),
    REDIS_PORT: String(redis),
    OPENAI_BASE_URL: `http://localhost:${fakeLlm}/v1`,
    ANTHROPIC_BASE_URL: `http://localhost:${fakeLlm}`,
    // Built into the app (its default is the usual :3000, another stack's).
    VITE_MOTIA_URL: `http://localhost:${balancer}`,
    PW_ATTACHMENTS: 'off',
  })
  const uiSpec = ['test', '--project=web-a', 'e2e/ui/conversation.spec.ts', '-g', 'Shift\\+Enter', '--workers=1', '--reporter=line', '--output', path.join(repo, 'results')]
  const stack = await test.step('the copy starts its stack', () => startStack(repo, env))
  try {
    expect(stack.output()).toMatch(/Stack ready in/)
    const ui = await test.step('one UI test on web-a, reusing that stack', () => run(repo, uiSpec, env))
    expect(ui.output, 'the test ran the changed source: the marker is in the text it read').toContain(marker)
    expect(ui.code, ui.output).toBe(1)
    expect(ui.output, 'the running stack serves the current build: reused').toContain('reusing the stack that is already running')
    expect(stack.output(), 'the stack said it built web-a, and which newer file made it').toMatch(
      /\[build\] building web-a: apps\/web-a\/src\/components\/Message\.jsx \(.*\) is newer than its build apps\/web-a\/dist\/index\.html/,
    )

    // index.html changed after the build: the running stack serves a stale build.
    appendFileSync(path.join(repo, 'apps/web-a/index.html'), '<!-- changed after the build -->\n')
    const refused = await test.step('the same run once index.html changed', () => run(repo, uiSpec, env))
    expect(refused.code, refused.output).not.toBe(0)
    expect(refused.output).toContain('does not serve this checkout')
    expect(refused.output).toMatch(/web-a: apps\/web-a\/index\.html \(.*\) is newer than its build apps\/web-a\/dist\/index\.html/)
    expect(refused.output).not.toContain(marker)
  } finally {
    await stack.stop()
    rmSync(repo, { recursive: true, force: true })
  }
})

test('`playwright test --list` in a fresh copy, without .env, .stack or builds, lists tests of every project and starts nothing', async () => {
  test.setTimeout(60_000)
  const repo = copyRepo()
  try {
    // As a fresh clone after `npm ci` (whose postinstall builds @chat/protocol): no app built yet.
    for (const dir of readdirSync(path.join(repo, 'apps'))) rmSync(path.join(repo, 'apps', dir, 'dist'), { recursive: true, force: true })
    const file = path.join(repo, 'list.json')
    const listed = await run(repo, ['test', '--list', '--reporter=json'], cleanEnv({ PLAYWRIGHT_JSON_OUTPUT_FILE: file }))
    expect(listed.code, listed.output).toBe(0)
    const report = JSON.parse(readFileSync(file, 'utf8')) as { config: { projects: { name: string }[] }; errors: unknown[] }
    expect(report.errors).toEqual([])
    const perProject = new Map(report.config.projects.map(({ name }) => [name, 0]))
    const count = (suite: { specs?: { tests: { projectName: string }[] }[]; suites?: unknown[] }) => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests) perProject.set(t.projectName, (perProject.get(t.projectName) ?? 0) + 1)
      for (const child of (suite.suites ?? []) as (typeof suite)[]) count(child)
    }
    for (const suite of (JSON.parse(readFileSync(file, 'utf8')) as { suites: Parameters<typeof count>[0][] }).suites) count(suite)
    expect([...perProject].filter(([, tests]) => tests === 0), 'projects listing no test').toEqual([])
    expect(perProject.size).toBeGreaterThanOrEqual(5)
    expect(existsSync(path.join(repo, '.stack')), 'listing started no stack').toBe(false)
  } finally {
    rmSync(repo, { recursive: true, force: true })
  }
})
