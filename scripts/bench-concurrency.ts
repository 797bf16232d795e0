/**
 * `npm run bench:concurrency`: N concurrent answers (N = 1, 8, 20, 100; `BENCH_N=1,8`), 3 repeats
 * (`BENCH_REPEATS`), against the backend and against the bare relay (scripts/bare-relay.ts, the floor) in one run.
 * It starts its own Redis, fake LLM, backend and relay on ports that never collide with a running stack:
 * `BENCH_BACKEND_PORT` 3100, `BENCH_FAKE_LLM_PORT` 4110, `BENCH_REDIS_PORT` 6490, `BENCH_RELAY_PORT` 4120.
 *
 * Each client gets its session (the relay: none), joins its group before its POST; every answer is 100 tokens, 25 ms apart, no first-token delay
 * (scripted per user on the fake). First token is timed from the POST's start. Markdown on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { API_ROUTES, bearer, parseMotiaFrame, sessionSchema, socketProtocols } from '@chat/protocol'
import WebSocket from 'ws'
import { ROOT } from './stack-env'

const FAKE_CONTROL_TOKEN = randomBytes(32).toString('base64url')
const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback)
const BACKEND_PORT = env('BENCH_BACKEND_PORT', 3100)
const FAKE_PORT = env('BENCH_FAKE_LLM_PORT', 4110)
const REDIS_PORT = env('BENCH_REDIS_PORT', 6490)
const RELAY_PORT = env('BENCH_RELAY_PORT', 4120)
const SIZES = (process.env.BENCH_N ?? '1,8,20,100').split(',').map(Number)
const REPEATS = env('BENCH_REPEATS', 3)
const TOKENS = 100
const TOKEN_DELAY_MS = 25
const ROUND_TIMEOUT_MS = env('BENCH_ROUND_TIMEOUT_MS', 120_000)

const FAKE_URL = `http://127.0.0.1:${FAKE_PORT}`
const BACKEND_URL = `http://127.0.0.1:${BACKEND_PORT}`
const RELAY_URL = `http://127.0.0.1:${RELAY_PORT}`
const LOG_DIR = mkdtempSync(path.join(os.tmpdir(), 'bench-concurrency-'))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------------- processes

const started: ChildProcess[] = []

const startProcess = (name: string, command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) => {
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`))
  const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  started.push(child)
  return child
}

const stopAll = async () => {
  for (const child of started.reverse()) {
    if (child.exitCode !== null || !child.pid) continue
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  }
  await sleep(1500)
  for (const child of started) {
    if (child.exitCode !== null || !child.pid) continue
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await sleep(200)
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms (logs: ${LOG_DIR})`)
}
const httpOk = (url: string) => async () => (await fetch(url)).ok

/** RSS of a process and all its descendants, in MB (the backend's step processes count). */
const treeRssMb = (rootPid: number): number => {
  const parents = new Map<number, number>()
  const rss = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(Number(entry), Number(fields[1]))
      rss.set(Number(entry), (Number(fields[21]) * 4096) / 1024 / 1024)
    } catch {}
  }
  let total = 0
  const stack = [rootPid]
  while (stack.length) {
    const pid = stack.pop()!
    total += rss.get(pid) ?? 0
    for (const [child, parent] of parents) if (parent === pid) stack.push(child)
  }
  return total
}

const rssSampler = (pid: number) => {
  let peak = 0
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 100)
  return { stop: () => (clearInterval(timer), Math.max(peak, treeRssMb(pid))) }
}

// ---------------------------------------------------------------------------------------------------- one round

interface AnswerResult {
  postMs: number
  firstTokenMs: number
  completed: boolean
  received: number
  lost: number
  outOfOrder: number
  doubled: number
  lastTokenAt: number
}

/** A caller: the backend's session (the relay, the floor, has none: a userId of our own and no token). */
interface Caller {
  userId: string
  token: string | null
}

const caller = async (baseUrl: string): Promise<Caller> => {
  const response = await fetch(`${baseUrl}${API_ROUTES.session.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (response.status === 201) return sessionSchema.parse(await response.json())
  return { userId: `bench-${randomUUID().slice(0, 12)}`, token: null }
}

const joinedSocket = async (baseUrl: string, { userId, token }: Caller) => {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/streams/chat-messages/user:${userId}`, token ? socketProtocols(token) : [])
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))
  const synced = new Promise((resolve) => socket.once('message', resolve))
  socket.send(JSON.stringify({ type: 'join', data: { streamName: 'chat-messages', groupId: `user:${userId}`, subscriptionId: randomUUID() } }))
  await synced
  return socket
}

const script = async ({ userId }: Caller) => {
  const tokens = Array.from({ length: TOKENS }, (_, i) => (i === 0 ? 'w0' : ` w${i}`))
  const response = await fetch(`${FAKE_URL}/__scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FAKE_CONTROL_TOKEN}` },
    body: JSON.stringify({ userId, provider: 'openai', tokens, firstTokenMs: 0, tokenDelayMs: TOKEN_DELAY_MS }),
  })
  if (!response.ok) throw new Error(`fake LLM scenario: ${response.status}`)
}

const oneAnswer = async (baseUrl: string, { userId, token }: Caller, socket: WebSocket, gate: Promise<void>): Promise<AnswerResult> => {
  const seqs: number[] = []
  let firstTokenAt = NaN
  let lastTokenAt = NaN
  let completed = false
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  socket.on('message', (raw) => {
    const frame = parseMotiaFrame(raw.toString())
    const event = frame?.event.type === 'event' ? frame.event.event : undefined
    if (event?.type === 'token') {
      const now = performance.now()
      if (!seqs.length) firstTokenAt = now
      lastTokenAt = now
      seqs.push(event.data.seq)
    } else if (event?.type === 'complete' || event?.type === 'error') {
      completed = event.type === 'complete'
      done()
    }
  })
  await gate
  const postStart = performance.now()
  const response = await fetch(`${baseUrl}${API_ROUTES.chatStream.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: bearer(token) } : {}) },
    // The relay reads the userId from the body; the backend ignores it (its user is the token's).
    body: JSON.stringify({ message: `Benchmark question of ${userId}`, userId }),
  })
  const postMs = performance.now() - postStart
  await response.text()
  if (response.status !== 202) done()
  const timeout = sleep(ROUND_TIMEOUT_MS)
  await Promise.race([finished, timeout])
  const unique = new Set(seqs)
  let outOfOrder = 0
  let max = -1
  for (const seq of seqs) {
    if (seq < max) outOfOrder++
    max = Math.max(max, seq)
  }
  return {
    postMs,
    firstTokenMs: firstTokenAt - postStart,
    completed,
    received: seqs.length,
    lost: Math.max(0, TOKENS - unique.size),
    outOfOrder,
    doubled: seqs.length - unique.size,
    lastTokenAt: lastTokenAt,
  }
}

interface Round {
  answers: AnswerResult[]
  startedAt: number
  rssPeakMb: number
}

const round = async (baseUrl: string, n: number, pid: number): Promise<Round> => {
  const users = await Promise.all(Array.from({ length: n }, () => caller(baseUrl)))
  await Promise.all(users.map(script))
  const sockets = await Promise.all(users.map((user) => joinedSocket(baseUrl, user)))
  let open!: () => void
  const gate = new Promise<void>((resolve) => (open = resolve))
  const sampler = rssSampler(pid)
  const pending = users.map((user, i) => oneAnswer(baseUrl, user, sockets[i]!, gate))
  const startedAt = performance.now()
  open()
  const answers = await Promise.all(pending)
  const rssPeakMb = sampler.stop()
  for (const socket of sockets) socket.close()
  return { answers, startedAt, rssPeakMb }
}

// ---------------------------------------------------------------------------------------------------- report

const percentile = (values: number[], p: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const ms = (value: number) => (Number.isFinite(value) ? `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ms` : '—')

interface Summary {
  post50: number
  first50: number
  first95: number
  firstMax: number
  tokensPerS: number
  ceilingPerS: number
  lost: number
  outOfOrder: number
  doubled: number
  completed: number
  total: number
  rssPeakMb: number
}

const summarize = (rounds: Round[]): Summary => {
  const answers = rounds.flatMap((r) => r.answers)
  // Delivered tokens/s: each round's tokens over its span from the first POST to the last token; the ceiling is
  // the same tokens at the fake's own pace (first token at once, then one every 25 ms).
  let delivered = 0
  let ceiling = 0
  for (const r of rounds) {
    const received = r.answers.reduce((sum, a) => sum + a.received, 0)
    const span = Math.max(...r.answers.map((a) => a.lastTokenAt).filter(Number.isFinite)) - r.startedAt
    delivered += received / (span / 1000)
    ceiling += (r.answers.length * TOKENS) / (((TOKENS - 1) * TOKEN_DELAY_MS) / 1000)
  }
  return {
    post50: percentile(answers.map((a) => a.postMs), 50),
    first50: percentile(answers.map((a) => a.firstTokenMs), 50),
    first95: percentile(answers.map((a) => a.firstTokenMs), 95),
    firstMax: Math.max(...answers.map((a) => (Number.isFinite(a.firstTokenMs) ? a.firstTokenMs : Infinity))),
    tokensPerS: delivered / rounds.length,
    ceilingPerS: ceiling / rounds.length,
    lost: answers.reduce((sum, a) => sum + a.lost, 0),
    outOfOrder: answers.reduce((sum, a) => sum + a.outOfOrder, 0),
    doubled: answers.reduce((sum, a) => sum + a.doubled, 0),
    completed: answers.filter((a) => a.completed).length,
    total: answers.length,
    rssPeakMb: Math.max(...rounds.map((r) => r.rssPeakMb)),
  }
}

const row = (label: string, n: number, s: Summary, relay?: Summary) =>
  [
    `| ${n} | ${label}`,
    ms(s.post50),
    ms(s.first50),
    ms(s.first95),
    ms(s.firstMax),
    `${s.tokensPerS.toFixed(0)} / ${s.ceilingPerS.toFixed(0)} (${((100 * s.tokensPerS) / s.ceilingPerS).toFixed(0)}%)`,
    `${s.lost} / ${s.outOfOrder} / ${s.doubled}`,
    `${s.completed}/${s.total}`,
    `${s.rssPeakMb.toFixed(0)} MB`,
    relay ? `${(s.first50 / relay.first50).toFixed(1)}× / ${(s.first95 / relay.first95).toFixed(1)}×` : '',
  ].join(' | ') + ' |'

// ---------------------------------------------------------------------------------------------------- main

const main = async () => {
  const motiaDir = mkdtempSync(path.join(os.tmpdir(), 'bench-motia-'))
  console.error(`logs: ${LOG_DIR}`)
  startProcess('redis', '/usr/bin/redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], ROOT)
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
  startProcess('fake-llm', tsx, ['src/main.ts'], path.join(ROOT, 'fixtures/fake-llm'), { FAKE_LLM_PORT: String(FAKE_PORT), FAKE_LLM_CONTROL_TOKEN: FAKE_CONTROL_TOKEN })
  const backend = startProcess('backend', path.join(ROOT, 'node_modules/.bin/motia'), ['start', '--port', String(BACKEND_PORT), '--motia-dir', motiaDir], path.join(ROOT, 'apps/backend'), {
    MOTIA_DISABLE_MEMORY_SERVER: 'true',
    MOTIA_REDIS_HOST: '127.0.0.1',
    MOTIA_REDIS_PORT: String(REDIS_PORT),
    MOTIA_DOCKER_DISABLE_WORKBENCH: 'true',
    MOTIA_ANALYTICS_DISABLED: 'true',
    LLM_PROVIDERS: 'openai',
    OPENAI_BASE_URL: `${FAKE_URL}/v1`,
    OPENAI_API_KEY: 'fake-openai-key',
    PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '20000',
    PROVIDER_IDLE_TIMEOUT_MS: '10000',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  })
  // One process (no tsx CLI wrapper), so its RSS is the relay's own.
  const relay = startProcess('bare-relay', process.execPath, ['--import', 'tsx', 'scripts/bare-relay.ts'], ROOT, { RELAY_PORT: String(RELAY_PORT), FAKE_LLM_URL: FAKE_URL })
  await waitFor('fake LLM', httpOk(`${FAKE_URL}/health`))
  await waitFor('bare relay', httpOk(`${RELAY_URL}/health`))
  await waitFor('backend', httpOk(`${BACKEND_URL}/api/health`))
  // One answer each to warm up (module loading, JIT, connections), not counted.
  await round(BACKEND_URL, 1, backend.pid!)
  await round(RELAY_URL, 1, relay.pid!)

  const results = new Map<number, { stack: Round[]; relay: Round[] }>()
  for (let repeat = 1; repeat <= REPEATS; repeat++) {
    for (const n of SIZES) {
      const entry = results.get(n) ?? { stack: [], relay: [] }
      results.set(n, entry)
      console.error(`repeat ${repeat}, N=${n}: stack…`)
      entry.stack.push(await round(BACKEND_URL, n, backend.pid!))
      await sleep(500)
      console.error(`repeat ${repeat}, N=${n}: relay…`)
      entry.relay.push(await round(RELAY_URL, n, relay.pid!))
      await sleep(500)
    }
  }

  const [l1, l5, l15] = os.loadavg().map((v) => v.toFixed(2))
  console.log(`${REPEATS} repeats per N, ${TOKENS} tokens 25 ms apart per answer, no first-token delay; ${os.cpus().length} cores, load average ${l1} ${l5} ${l15} at the end; ${new Date().toISOString()}`)
  console.log('')
  console.log('| N | server | POST→202 p50 | first token p50 | p95 | max | tokens/s delivered / ceiling | lost / out of order / doubled | completed | RSS peak | stack/relay first token p50 / p95 |')
  console.log('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const [n, entry] of results) {
    const relaySummary = summarize(entry.relay)
    console.log(row('stack', n, summarize(entry.stack), relaySummary))
    console.log(row('relay', n, relaySummary))
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().then(() => process.exit(130)))
main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => stopAll().then(() => process.exit()))
