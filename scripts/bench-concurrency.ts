/**
 * `npm run bench:concurrency`: N concurrent answers (N = 1, 20, 100, 400; `BENCH_N=1,20`), 3 repeats
 * (`BENCH_REPEATS`; at N = 1 each repeat runs `BENCH_SOLO_ROUNDS`, 4, rounds), against each backend topology and the
 * bare relay (scripts/bare-relay.ts, the floor) in one run, interleaved round by round:
 *
 * - `one`: one Motia instance, client's socket and POST on its port;
 * - `cross`: two instances behind HAProxy, every answer delivered across instances: client i posts to instance A's
 *   own port and joins at instance B's (A is the first instance for even i, the second for odd i, so both generate);
 * - `balancer`: the same two instances, socket and POST through HAProxy's port (round robin).
 *
 * `BENCH_TOPOLOGIES=one,cross` picks some. Each topology's instances share a Redis of their own (pub/sub is global to a
 * Redis server), so one topology's stream events never reach another's. Ports never collide with a running stack:
 * `BENCH_BACKEND_PORT` 3100 (one instance; the two instances at +11, +12 and their balancer at +10),
 * `BENCH_REDIS_PORT` 6490 (+1 for the two instances), `BENCH_FAKE_LLM_PORT` 4110, `BENCH_RELAY_PORT` 4120.
 *
 * Each client gets its session (the relay: none), joins its group before its POST; every answer is 100 tokens, 25 ms
 * apart, no first-token delay (scripted per user on the fake). First token is timed from the POST's start. CPU per
 * answer: the CPU time (utime + stime in /proc) of the topology's processes — its instances and their children, and
 * HAProxy — from the moment the POSTs go out to the last answer's end, over the answers completed; its Redis apart.
 * Markdown on stdout.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { API_ROUTES, bearer, sessionSchema, socketProtocols } from '@chat/protocol'
import WebSocket from 'ws'
import { balancerConfig } from './balancer-config'
import { ROOT } from './stack-env'

const FAKE_CONTROL_TOKEN = randomBytes(32).toString('base64url')
const SESSION_SECRET = randomBytes(32).toString('base64url')
const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback)
const HOST = '127.0.0.1'
const BACKEND_PORT = env('BENCH_BACKEND_PORT', 3100)
const FAKE_PORT = env('BENCH_FAKE_LLM_PORT', 4110)
const REDIS_PORT = env('BENCH_REDIS_PORT', 6490)
const RELAY_PORT = env('BENCH_RELAY_PORT', 4120)
const SIZES = (process.env.BENCH_N ?? '1,20,100,400').split(',').map(Number)
const REPEATS = env('BENCH_REPEATS', 3)
const SOLO_ROUNDS = env('BENCH_SOLO_ROUNDS', 4)
const TOKENS = 100
const TOKEN_DELAY_MS = 25
const ROUND_TIMEOUT_MS = env('BENCH_ROUND_TIMEOUT_MS', 120_000)

const url = (port: number) => `http://${HOST}:${port}`
const FAKE_URL = url(FAKE_PORT)
const RELAY_URL = url(RELAY_PORT)
const LOG_DIR = mkdtempSync(path.join(os.tmpdir(), 'bench-concurrency-'))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const loadAverage = () => os.loadavg().map((v) => v.toFixed(2)).join(' ')

// ---------------------------------------------------------------------------------------------------- processes

const started: ChildProcess[] = []

const startProcess = (name: string, command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) => {
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`))
  const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  started.push(child)
  if (!child.pid) throw new Error(`${name} did not start (${command})`)
  return child.pid
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

// ---------------------------------------------------------------------------------------------------- cost (/proc)

const CLOCK_TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100)

/** Fields of /proc/<pid>/stat after the command's closing parenthesis (field 3, the state, is index 0). */
const statFields = (pid: number): string[] | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** The processes `roots` and all their descendants (a Motia instance's step processes count), read once per round. */
const processTree = (roots: number[]): number[] => {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const parent = Number(statFields(Number(entry))?.[1])
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
  }
  const tree: number[] = []
  const stack = [...roots]
  while (stack.length) {
    const pid = stack.pop()!
    tree.push(pid)
    stack.push(...(children.get(pid) ?? []))
  }
  return tree
}

/** CPU time (user + system) and RSS of processes, summed. */
const usage = (pids: number[]) => {
  let cpuMs = 0
  let rssMb = 0
  for (const pid of pids) {
    const fields = statFields(pid)
    if (!fields) continue
    cpuMs += (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS
    rssMb += (Number(fields[21]) * 4096) / 1024 / 1024
  }
  return { cpuMs, rssMb }
}

/** CPU time spent and peak RSS (sampled every 100 ms) of processes from now until `stop`. */
const costMeter = (pids: number[]) => {
  const start = usage(pids)
  let peak = start.rssMb
  const timer = setInterval(() => (peak = Math.max(peak, usage(pids).rssMb)), 100)
  return {
    stop: () => {
      clearInterval(timer)
      const end = usage(pids)
      return { cpuMs: end.cpuMs - start.cpuMs, rssPeakMb: Math.max(peak, end.rssMb) }
    },
  }
}

// ---------------------------------------------------------------------------------------------------- what is measured

/** Where client i of a round posts its question and joins its group. */
interface Route {
  post: string
  join: string
}
const same = (base: string): Route => ({ post: base, join: base })

/** A server under test: how each client reaches it, and the processes whose CPU time and memory it costs. */
interface Target {
  label: string
  route: (client: number) => Route
  /** Its serving processes (their descendants count too). */
  pids: number[]
  /** Its Redis, whose CPU time is reported apart (the relay has none). */
  redisPids: number[]
}

/** Backend instances sharing one Redis, optionally behind a balancer. */
interface ClusterSpec {
  name: string
  redisPort: number
  instancePorts: number[]
  balancerPort?: number
}

interface Cluster {
  instances: string[]
  balancer?: string
  pids: number[]
  redisPid: number
}

const ONE: ClusterSpec = { name: 'one', redisPort: REDIS_PORT, instancePorts: [BACKEND_PORT] }
const TWO: ClusterSpec = { name: 'two', redisPort: REDIS_PORT + 1, instancePorts: [BACKEND_PORT + 11, BACKEND_PORT + 12], balancerPort: BACKEND_PORT + 10 }

/** A topology: which cluster it runs on and where client i posts and joins. */
interface Topology {
  label: string
  cluster: ClusterSpec
  route: (cluster: Cluster, client: number) => Route
}

const TOPOLOGIES: Record<string, Topology> = {
  one: { label: '1 instance', cluster: ONE, route: (c) => same(c.instances[0]!) },
  // Client i posts to instance i % 2 and joins at the other: every token crosses Redis pub/sub, and both instances generate.
  cross: { label: '2 inst., cross', cluster: TWO, route: (c, i) => ({ post: c.instances[i % 2]!, join: c.instances[(i + 1) % 2]! }) },
  balancer: { label: '2 inst., HAProxy', cluster: TWO, route: (c) => same(c.balancer!) },
}
const TOPOLOGY_NAMES = (process.env.BENCH_TOPOLOGIES ?? Object.keys(TOPOLOGIES).join(',')).split(',')

const backendEnv = (redisPort: number): Record<string, string> => ({
  MOTIA_DISABLE_MEMORY_SERVER: 'true',
  MOTIA_REDIS_HOST: HOST,
  MOTIA_REDIS_PORT: String(redisPort),
  MOTIA_DOCKER_DISABLE_WORKBENCH: 'true',
  MOTIA_ANALYTICS_DISABLED: 'true',
  LLM_PROVIDERS: 'openai',
  OPENAI_BASE_URL: `${FAKE_URL}/v1`,
  OPENAI_API_KEY: 'fake-openai-key',
  PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '20000',
  PROVIDER_IDLE_TIMEOUT_MS: '10000',
  SESSION_SECRET,
  // The bench is one client address asking for N sessions and answers at once: limits it measures nothing of.
  RATE_NEW_SESSIONS_PER_ADDRESS: '1000000/60',
  RATE_ANSWERS_BURST: '1000000/60',
  RATE_ANSWERS_SUSTAINED: '1000000/3600',
})

/** `BENCH_CPU_PROF=<dir>`: each instance and the relay write a V8 CPU profile there as they exit (Chrome's DevTools open it). */
const cpuProfile = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])

const startRedis = (name: string, port: number) =>
  startProcess(name, '/usr/bin/redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'], ROOT)

/** Each instance with a `--motia-dir` of its own (instances of one project must not share one). */
const startInstance = (name: string, port: number, redisPort: number) =>
  startProcess(
    name,
    process.execPath,
    [
      ...cpuProfile(),
      path.join(ROOT, 'node_modules/.bin/motia'),
      'start',
      '--host',
      HOST,
      '--port',
      String(port),
      '--motia-dir',
      mkdtempSync(path.join(os.tmpdir(), `bench-motia-${name}-`)),
    ],
    path.join(ROOT, 'apps/backend'),
    backendEnv(redisPort),
  )

/** HAProxy in the foreground, with the stack's own config (scripts/balancer-config.ts) for these instances. */
const startBalancer = (name: string, port: number, instancePorts: number[]) => {
  const config = path.join(LOG_DIR, `${name}.cfg`)
  writeFileSync(config, balancerConfig({ host: HOST, port, instances: instancePorts.map((p, i) => ({ name: `${name}-${i + 1}`, port: p })) }))
  return startProcess(name, process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy', ['-db', '-f', config], ROOT)
}

const startCluster = async (spec: ClusterSpec): Promise<Cluster> => {
  const redisPid = startRedis(`${spec.name}-redis`, spec.redisPort)
  const pids = spec.instancePorts.map((port, i) => startInstance(`${spec.name}-backend-${i + 1}`, port, spec.redisPort))
  const instances = spec.instancePorts.map(url)
  for (const instance of instances) await waitFor(`backend ${instance}`, httpOk(`${instance}/api/health`))
  if (spec.balancerPort === undefined) return { instances, pids, redisPid }
  pids.push(startBalancer(`${spec.name}-balancer`, spec.balancerPort, spec.instancePorts))
  const balancer = url(spec.balancerPort)
  await waitFor(`balancer ${balancer}`, httpOk(`${balancer}/api/health`))
  return { instances, balancer, pids, redisPid }
}

/** The topologies asked for, each cluster started once (and their instances at the same time). */
const startTopologies = async (names: string[]): Promise<Target[]> => {
  const clusters = new Map<ClusterSpec, Promise<Cluster>>()
  return Promise.all(
    names.map(async (name) => {
      const topology = TOPOLOGIES[name]
      if (!topology) throw new Error(`BENCH_TOPOLOGIES: no topology ${name} (${Object.keys(TOPOLOGIES).join(', ')})`)
      if (!clusters.has(topology.cluster)) clusters.set(topology.cluster, startCluster(topology.cluster))
      const cluster = await clusters.get(topology.cluster)!
      return { label: topology.label, route: (client: number) => topology.route(cluster, client), pids: cluster.pids, redisPids: [cluster.redisPid] }
    }),
  )
}

/** The floor: one process (no tsx CLI wrapper), so its CPU time and RSS are the relay's own. */
const startRelay = async (): Promise<Target> => {
  const pid = startProcess('bare-relay', process.execPath, [...cpuProfile(), '--import', 'tsx', 'scripts/bare-relay.ts'], ROOT, { RELAY_PORT: String(RELAY_PORT), FAKE_LLM_URL: FAKE_URL })
  await waitFor('bare relay', httpOk(`${RELAY_URL}/health`))
  return { label: 'relay', route: () => same(RELAY_URL), pids: [pid], redisPids: [] }
}

// ---------------------------------------------------------------------------------------------------- one round

interface AnswerResult {
  postMs: number
  /** 202: the answer was taken; 503 busy: the instance streams all it may. */
  accepted: boolean
  busy: boolean
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

const isBusy = (status: number, body: string) => {
  if (status !== 503) return false
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code === 'busy'
  } catch {
    return false
  }
}

const sequenceFaults = (seqs: number[]) => {
  const unique = new Set(seqs)
  let outOfOrder = 0
  let max = -1
  for (const seq of seqs) {
    if (seq < max) outOfOrder++
    max = Math.max(max, seq)
  }
  return { lost: Math.max(0, TOKENS - unique.size), outOfOrder, doubled: seqs.length - unique.size }
}

/**
 * The fields of a frame the bench counts. It reads them straight from the JSON, unvalidated: the client shares the
 * cores with the servers it measures (validating every frame with the protocol's schemas cost it about 5 ms of CPU per
 * answer, two thirds of the relay's own), and the specs, not the bench, check the frames' shape.
 */
interface BenchFrame {
  event?: { type: string; event: { type: string; data: { seq: number } } }
}

const oneAnswer = async (postUrl: string, { userId, token }: Caller, socket: WebSocket, gate: Promise<void>): Promise<AnswerResult> => {
  const seqs: number[] = []
  let firstTokenAt = NaN
  let lastTokenAt = NaN
  let completed = false
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as BenchFrame
    const event = frame.event?.type === 'event' ? frame.event.event : undefined
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
  const response = await fetch(`${postUrl}${API_ROUTES.chatStream.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: bearer(token) } : {}) },
    // The relay reads the userId from the body; the backend ignores it (its user is the token's).
    body: JSON.stringify({ message: `Benchmark question of ${userId}`, userId }),
  })
  const postMs = performance.now() - postStart
  const body = await response.text()
  const accepted = response.status === 202
  if (!accepted) done()
  await Promise.race([finished, sleep(ROUND_TIMEOUT_MS)])
  return {
    postMs,
    accepted,
    busy: isBusy(response.status, body),
    firstTokenMs: firstTokenAt - postStart,
    completed,
    received: seqs.length,
    // A refused answer lost nothing: it never started (its count is `busy`, or it shows as not completed).
    ...(accepted ? sequenceFaults(seqs) : { lost: 0, outOfOrder: 0, doubled: 0 }),
    lastTokenAt,
  }
}

interface Round {
  answers: AnswerResult[]
  startedAt: number
  rssPeakMb: number
  cpuMs: number
  redisCpuMs: number
}

/** N clients at once: sessions, scripts and joined sockets first (not measured), then all POSTs released together. */
const round = async (target: Target, n: number): Promise<Round> => {
  const routes = Array.from({ length: n }, (_, client) => target.route(client))
  const users = await Promise.all(routes.map((route) => caller(route.post)))
  await Promise.all(users.map(script))
  const sockets = await Promise.all(users.map((user, i) => joinedSocket(routes[i]!.join, user)))
  let open!: () => void
  const gate = new Promise<void>((resolve) => (open = resolve))
  const pending = users.map((user, i) => oneAnswer(routes[i]!.post, user, sockets[i]!, gate))
  const stack = costMeter(processTree(target.pids))
  const redis = costMeter(target.redisPids)
  const startedAt = performance.now()
  open()
  const answers = await Promise.all(pending)
  const { cpuMs, rssPeakMb } = stack.stop()
  const redisCpuMs = redis.stop().cpuMs
  for (const socket of sockets) socket.close()
  return { answers, startedAt, rssPeakMb, cpuMs, redisCpuMs }
}

// ---------------------------------------------------------------------------------------------------- report

const percentile = (values: number[], p: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const ms = (value: number) => (Number.isFinite(value) ? `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ms` : '—')
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}×` : '—')
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

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
  busy: number
  total: number
  rssPeakMb: number
  cpuPerAnswerMs: number
  redisCpuPerAnswerMs: number
}

/**
 * Delivered tokens/s: each round's tokens over its span from the first POST to the last token; the ceiling is the
 * same answers (those taken) at the fake's own pace (first token at once, then one every 25 ms).
 */
const throughput = (rounds: Round[]) => {
  let delivered = 0
  let ceiling = 0
  for (const r of rounds) {
    const span = Math.max(...r.answers.map((a) => a.lastTokenAt).filter(Number.isFinite)) - r.startedAt
    delivered += sum(r.answers.map((a) => a.received)) / (span / 1000)
    ceiling += (r.answers.filter((a) => a.accepted).length * TOKENS) / (((TOKENS - 1) * TOKEN_DELAY_MS) / 1000)
  }
  return { tokensPerS: delivered / rounds.length, ceilingPerS: ceiling / rounds.length }
}

/** First token and POST times over the answers taken (a busy answer has neither). */
const summarize = (rounds: Round[]): Summary => {
  const answers = rounds.flatMap((r) => r.answers)
  const taken = answers.filter((a) => a.accepted)
  const completed = answers.filter((a) => a.completed).length
  return {
    post50: percentile(taken.map((a) => a.postMs), 50),
    first50: percentile(taken.map((a) => a.firstTokenMs), 50),
    first95: percentile(taken.map((a) => a.firstTokenMs), 95),
    firstMax: Math.max(...taken.map((a) => (Number.isFinite(a.firstTokenMs) ? a.firstTokenMs : Infinity))),
    ...throughput(rounds),
    lost: sum(answers.map((a) => a.lost)),
    outOfOrder: sum(answers.map((a) => a.outOfOrder)),
    doubled: sum(answers.map((a) => a.doubled)),
    completed,
    busy: answers.filter((a) => a.busy).length,
    total: answers.length,
    rssPeakMb: Math.max(...rounds.map((r) => r.rssPeakMb)),
    cpuPerAnswerMs: sum(rounds.map((r) => r.cpuMs)) / completed,
    redisCpuPerAnswerMs: sum(rounds.map((r) => r.redisCpuMs)) / completed,
  }
}

const HEADER = [
  '| N | server | POST→202 p50 | first token p50 | p95 | max | first token ÷ relay p50 / p95 | lost / out of order / doubled | completed | busy (503) | tokens/s delivered / ceiling | CPU per answer (÷ relay) | Redis CPU per answer | RSS peak |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
]

const row = (label: string, n: number, s: Summary, relay: Summary) =>
  [
    `| ${n} | ${label}`,
    ms(s.post50),
    ms(s.first50),
    ms(s.first95),
    ms(s.firstMax),
    s === relay ? '' : `${times(s.first50 / relay.first50)} / ${times(s.first95 / relay.first95)}`,
    `${s.lost} / ${s.outOfOrder} / ${s.doubled}`,
    `${s.completed}/${s.total}`,
    String(s.busy),
    `${s.tokensPerS.toFixed(0)} / ${s.ceilingPerS.toFixed(0)} (${((100 * s.tokensPerS) / s.ceilingPerS).toFixed(0)}%)`,
    s === relay ? ms(s.cpuPerAnswerMs) : `${ms(s.cpuPerAnswerMs)} (${times(s.cpuPerAnswerMs / relay.cpuPerAnswerMs)})`,
    s === relay ? '—' : ms(s.redisCpuPerAnswerMs),
    `${s.rssPeakMb.toFixed(0)} MB`,
  ].join(' | ') + ' |'

type Summaries = Map<number, Map<string, Summary>>

/** The targets, for the topologies and N measured. */
const targetRows = (summaries: Summaries): string[] => {
  const at = (n: number, label: string) => summaries.get(n)?.get(label)
  const verdict = (met: boolean) => (met ? 'met' : '**not met**')
  const rows: string[] = []
  const one = TOPOLOGIES.one!.label
  const crossAt1 = at(1, TOPOLOGIES.cross!.label)
  const oneAt1 = at(1, one)
  if (crossAt1 && oneAt1) {
    const gap = crossAt1.first50 - oneAt1.first50
    rows.push(`| cross-instance first-token p50 within 2 ms of one instance's, N = 1 | ${ms(crossAt1.first50)} vs ${ms(oneAt1.first50)} (${gap >= 0 ? '+' : ''}${gap.toFixed(1)} ms) | ${verdict(gap <= 2)} |`)
  }
  for (const two of [TOPOLOGIES.cross!.label, TOPOLOGIES.balancer!.label]) {
    const at100 = at(100, two)
    const oneAt100 = at(100, one)
    if (at100 && oneAt100) rows.push(`| ${two}: first-token p95 at N = 100 no worse than one instance's | ${ms(at100.first95)} vs ${ms(oneAt100.first95)} | ${verdict(at100.first95 <= oneAt100.first95)} |`)
    const at400 = at(400, two)
    const relayAt400 = at(400, 'relay')
    if (at400 && relayAt400) {
      const ratio = at400.first95 / relayAt400.first95
      const ok = ratio <= 2 && at400.lost === 0 && at400.busy === 0 && at400.completed === at400.total
      rows.push(`| ${two}: N = 400 first-token p95 ≤ 2× the relay's, 0 lost, none busy | ${ms(at400.first95)} vs ${ms(relayAt400.first95)} (${times(ratio)}); lost ${at400.lost}, busy ${at400.busy}, completed ${at400.completed}/${at400.total} | ${verdict(ok)} |`)
    }
  }
  return rows
}

const report = (summaries: Summaries, startLoad: string) => {
  console.log(
    `${REPEATS} repeats per N (${SOLO_ROUNDS} rounds each at N = 1), ${TOKENS} tokens 25 ms apart per answer, no first-token delay; ${os.cpus().length} cores, load average ${startLoad} at the start, ${loadAverage()} at the end; ${new Date().toISOString()}`,
  )
  console.log('')
  console.log(HEADER.join('\n'))
  for (const [n, byServer] of summaries) {
    const relay = byServer.get('relay')!
    for (const [label, summary] of byServer) console.log(row(label, n, summary, relay))
  }
  const targets = targetRows(summaries)
  if (!targets.length) return
  console.log('')
  console.log('| target | result | |')
  console.log('|---|---|---|')
  console.log(targets.join('\n'))
}

// ---------------------------------------------------------------------------------------------------- main

/** The servers in another order each round, so no topology always runs right after the same one. */
const rotated = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!)

const main = async () => {
  const startLoad = loadAverage()
  console.error(`logs: ${LOG_DIR}; load average ${startLoad}`)
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
  startProcess('fake-llm', tsx, ['src/main.ts'], path.join(ROOT, 'fixtures/fake-llm'), { FAKE_LLM_PORT: String(FAKE_PORT), FAKE_LLM_CONTROL_TOKEN: FAKE_CONTROL_TOKEN })
  await waitFor('fake LLM', httpOk(`${FAKE_URL}/health`))
  const servers = [...(await startTopologies(TOPOLOGY_NAMES)), await startRelay()]
  // Two answers each to warm up (module loading, JIT, connections; both instances of two), not counted.
  for (const server of servers) await round(server, 2)

  const rounds = new Map<number, Map<string, Round[]>>(SIZES.map((n) => [n, new Map(servers.map((s) => [s.label, []]))]))
  let turn = 0
  for (let repeat = 1; repeat <= REPEATS; repeat++) {
    for (const n of SIZES) {
      for (let k = 0; k < (n === 1 ? SOLO_ROUNDS : 1); k++) {
        for (const server of rotated(servers, turn++)) {
          console.error(`repeat ${repeat}, N=${n}: ${server.label}…`)
          rounds.get(n)!.get(server.label)!.push(await round(server, n))
          await sleep(n >= 100 ? 1000 : 500)
        }
      }
    }
  }
  const summaries: Summaries = new Map(
    [...rounds].map(([n, byServer]) => [n, new Map([...byServer].map(([label, list]) => [label, summarize(list)]))]),
  )
  report(summaries, startLoad)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().then(() => process.exit(130)))
main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => stopAll().then(() => process.exit()))
