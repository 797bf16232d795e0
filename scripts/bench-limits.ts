/**
 * `npm run bench:limits` — what the per-user limits add to a request, measured in one run, interleaved call by call:
 *
 * - `answer admitted`: what the ChatStream step asks before it records an answer (`admitAnswerWithinLimits`: budget
 *   read, in-flight take, burst and sustained consume, at once);
 * - `answer ended`: what the answer's end does (`answerEnded`: slot release and a 100-token budget charge), off the
 *   request's path;
 * - `new session`: the per-address check of `POST /api/session` (`admitNewSession`);
 * - `PING`: one Redis round trip on the same connection, the floor any check in Redis pays;
 * - `POST→202`: a whole `POST /api/chat/stream` at a running stack's backend instance (with its limits), for scale.
 *
 * Its own Redis (`BENCH_REDIS_PORT`, 6590), limits set high enough that none refuses. `BENCH_ROUNDS` (2,000) calls
 * each, sequential, after 200 warm-up calls. Markdown on stdout.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { API_ROUTES, bearer } from '@chat/protocol'
import { backendInstances } from './backend-instances'
import { loadStackEnv } from './stack-env'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000)
const WARMUP = 200
const REDIS_PORT = Number(process.env.BENCH_REDIS_PORT ?? 6590)

loadStackEnv()
const instanceUrl = `http://localhost:${backendInstances(process.env)[0]!.port}`
Object.assign(process.env, {
  MOTIA_REDIS_HOST: '127.0.0.1',
  MOTIA_REDIS_PORT: String(REDIS_PORT),
  MOTIA_REDIS_PASSWORD: '',
  RATE_ANSWERS_BURST: '1000000000/60',
  RATE_ANSWERS_SUSTAINED: '1000000000/3600',
  ANSWERS_IN_FLIGHT_PER_USER: '4',
  TOKEN_BUDGET_PER_USER: '1000000000000/86400',
  RATE_NEW_SESSIONS_PER_ADDRESS: '1000000000/60',
})

const redis = spawn('/usr/bin/redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
})
process.on('exit', () => redis.kill())

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`)

const main = async () => {
  const { admitAnswerWithinLimits, answerEnded } = await import('../apps/backend/lib/limits/answer-limits')
  const { admitNewSession } = await import('../apps/backend/lib/limits/session-limits')
  const { redisForCommands } = await import('../apps/backend/lib/redis/backend-redis')
  const client = await redisForCommands()

  const sessionUrl = `${instanceUrl}${API_ROUTES.session.path}`
  const sessionRequest = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }
  const stackUp = await fetch(sessionUrl, sessionRequest).then((response) => response.status === 201, () => false)

  const userId = `bench-${randomBytes(6).toString('hex')}`
  let answer = 0
  const cases: Record<string, () => Promise<unknown>> = {
    'answer admitted (on the POST\'s path)': async () => {
      const id = `a${answer}`
      if (await admitAnswerWithinLimits(userId, id)) throw new Error('a limit refused: the bench limits are too low')
    },
    'answer ended (after the answer)': () => answerEnded(userId, `a${answer++}`, 100),
    'new session': async () => {
      if (await admitNewSession('127.0.0.1')) throw new Error('the session limit refused')
    },
    PING: () => client.ping(),
  }
  if (stackUp) {
    // A new user for each POST (its session asked for untimed): the stack's own limits then never refuse one.
    cases['POST→202'] = async () => {
      const fresh = (await (await fetch(sessionUrl, sessionRequest)).json()) as { token: string }
      const started = performance.now()
      const response = await fetch(`${instanceUrl}${API_ROUTES.chatStream.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(fresh.token) },
        body: JSON.stringify({ message: 'cost' }),
      })
      await response.arrayBuffer()
      if (response.status !== 202) throw new Error(`POST answered ${response.status}`)
      return performance.now() - started
    }
  }
  const names = Object.keys(cases)
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  const postRounds = Math.min(ROUNDS, 100)
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const name of names) {
      if (name === 'POST→202' && (round < WARMUP - 5 || round >= WARMUP + postRounds)) continue
      const started = performance.now()
      const own = await cases[name]!()
      const elapsed = typeof own === 'number' ? own : performance.now() - started
      if (round >= WARMUP) samples[name]!.push(elapsed)
    }
  }

  const floor = quantile([...samples.PING!].sort((a, b) => a - b), 0.5)
  console.log(`| ${ROUNDS} calls each (POST→202: ${postRounds}) | p50 | p95 | p50 / PING |`)
  console.log('|---|---|---|---|')
  for (const name of names) {
    const sorted = [...samples[name]!].sort((a, b) => a - b)
    if (sorted.length === 0) continue
    console.log(`| ${name} | ${fmt(quantile(sorted, 0.5))} | ${fmt(quantile(sorted, 0.95))} | ${(quantile(sorted, 0.5) / floor).toFixed(1)}× |`)
  }
  if (!stackUp) console.log('\n(no stack running: POST→202 not measured)')
  process.exit(0)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
