/**
 * `npm run bench:polling` (with `npm run stack` running): first-token time of streaming clients, alone and while
 * 8 clients poll the polling endpoint at the client's base cadence (every 250 ms). Prints both and the ratio.
 * Bounded: a fixed number of rounds, loopback only.
 */
import { API_ROUTES, bearer, chatMessagePath, groupIdFor, parseMotiaFrame, socketProtocols, STREAM_NAME, type Session } from '@chat/protocol'
import WebSocket from 'ws'
import { newSession } from '../fixtures/backend/sessions'
import { BACKEND_URL, backendWsUrl } from '../fixtures/stack/urls'

const ROUNDS = 8
const POLLERS = 8
const POLL_INTERVAL_MS = 250

const post = async (session: Session, message: string) => {
  const response = await fetch(`${BACKEND_URL}${API_ROUTES.chatStream.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer(session.token) },
    body: JSON.stringify({ message }),
  })
  return ((await response.json()) as { traceId: string }).traceId
}

/** Milliseconds from POST to the first token frame on the user's socket. */
const firstTokenMs = async (): Promise<number> => {
  const session = await newSession()
  const { userId } = session
  const socket = new WebSocket(backendWsUrl(userId), socketProtocols(session.token))
  await new Promise((resolve) => socket.once('open', resolve))
  socket.send(JSON.stringify({ type: 'join', data: { streamName: STREAM_NAME, groupId: groupIdFor(userId), subscriptionId: 'bench' } }))
  await new Promise((resolve) => socket.once('message', resolve))
  const started = performance.now()
  const first = new Promise<number>((resolve) =>
    socket.on('message', (raw) => {
      const frame = parseMotiaFrame(raw.toString())
      if (frame?.event.type === 'event' && frame.event.event.type === 'token') resolve(performance.now() - started)
    }),
  )
  await post(session, 'How fast is the first token?')
  const elapsed = await first
  socket.close()
  return elapsed
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

const measure = async () => {
  const times: number[] = []
  for (let i = 0; i < ROUNDS; i++) times.push(await firstTokenMs())
  return median(times)
}

const main = async () => {
  const alone = await measure()
  let polls = 0
  let stop = false
  const pollers = Array.from({ length: POLLERS }, async (_, i) => {
    const session = await newSession()
    const traceId = await post(session, `A long answer for poller ${i}`)
    while (!stop) {
      await fetch(`${BACKEND_URL}${chatMessagePath(traceId)}`, { headers: { authorization: bearer(session.token) } })
      polls += 1
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
    }
  })
  const startedPolling = performance.now()
  const loaded = await measure()
  stop = true
  await Promise.all(pollers)
  const rate = polls / ((performance.now() - startedPolling) / 1000)
  console.log(`first token, alone:               ${alone.toFixed(0)} ms (median of ${ROUNDS})`)
  console.log(`first token, ${POLLERS} clients polling: ${loaded.toFixed(0)} ms (median of ${ROUNDS}; ${rate.toFixed(1)} polls/s)`)
  console.log(`ratio: ${(loaded / alone).toFixed(2)} (budget 1.20)`)
}

void main()
