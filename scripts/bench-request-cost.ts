/**
 * `npx tsx scripts/bench-request-cost.ts` — what one request costs, side by side on backends that run at once:
 * POST /api/chat/stream → 202, and a socket from `new WebSocket` to its join's sync (the upgrade included), median
 * of ROUNDS, rounds interleaved across the targets. A backend that issues sessions is called with one (Bearer,
 * subprotocol); one that does not (an older build) gets the userId in the body, as it did then.
 * BENCH_TARGETS=name=url,… (default: this stack's backend only).
 */
import { randomUUID } from 'node:crypto'
import { API_ROUTES, bearer, groupIdFor, socketProtocols, STREAM_NAME } from '@chat/protocol'
import WebSocket from 'ws'
import { BACKEND_URL } from '../fixtures/stack/urls'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)

interface Caller {
  userId: string
  token: string | null
}

const caller = async (url: string): Promise<Caller> => {
  const response = await fetch(`${url}${API_ROUTES.session.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (response.status === 201) return (await response.json()) as Caller
  return { userId: `bench-${randomUUID().slice(0, 8)}`, token: null }
}

const postMs = async (url: string, who: Caller): Promise<number> => {
  const started = performance.now()
  const response = await fetch(`${url}${API_ROUTES.chatStream.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who.token ? { authorization: bearer(who.token) } : {}) },
    body: JSON.stringify(who.token ? { message: 'cost' } : { message: 'cost', userId: who.userId }),
  })
  const elapsed = performance.now() - started
  if (response.status !== 202) throw new Error(`${url}: POST answered ${response.status}`)
  return elapsed
}

const syncMs = async (url: string, who: Caller): Promise<number> => {
  const started = performance.now()
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/streams/${STREAM_NAME}/${groupIdFor(who.userId)}`, who.token ? socketProtocols(who.token) : [])
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  socket.send(JSON.stringify({ type: 'join', data: { streamName: STREAM_NAME, groupId: groupIdFor(who.userId), subscriptionId: randomUUID() } }))
  await new Promise((resolve) => socket.once('message', resolve))
  const elapsed = performance.now() - started
  socket.close()
  return elapsed
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

const main = async () => {
  const targets = (process.env.BENCH_TARGETS ?? `stack=${BACKEND_URL}`).split(',').map((pair) => {
    const [name = '', url = ''] = pair.split('=')
    return { name, url }
  })
  const results = new Map(targets.map((t) => [t.name, { post: [] as number[], sync: [] as number[] }]))
  const callers = new Map(await Promise.all(targets.map(async (t) => [t.name, await caller(t.url)] as const)))
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const target of targets) {
      const who = callers.get(target.name)!
      const post = await postMs(target.url, who)
      const sync = await syncMs(target.url, who)
      // The first two rounds warm each backend up (module loads, connections) and are not counted.
      if (round >= 2) {
        results.get(target.name)!.post.push(post)
        results.get(target.name)!.sync.push(sync)
      }
    }
  }
  console.log(`median of ${ROUNDS} (rounds interleaved)`)
  console.log('target'.padEnd(12), 'POST→202'.padStart(10), 'socket→sync'.padStart(12), '  sessions')
  for (const target of targets) {
    const r = results.get(target.name)!
    console.log(target.name.padEnd(12), `${median(r.post).toFixed(1)} ms`.padStart(10), `${median(r.sync).toFixed(1)} ms`.padStart(12), `  ${callers.get(target.name)!.token ? 'yes' : 'no'}`)
  }
}

void main()
