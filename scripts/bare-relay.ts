/**
 * The floor for `npm run bench:concurrency`: the least a chat relay can do, in one process with plain `http` and
 * `ws`. `POST /api/chat/stream` answers 202 at once, streams the completion from the fake LLM with `fetch` and
 * relays each token to the user's sockets in Motia's frame shape (so the bench reads both with one client). No
 * queue, no store, no validation beyond what it needs. `RELAY_PORT` (default 4120), `FAKE_LLM_URL`.
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'

const STREAM_NAME = 'chat-messages'

export interface BareRelay {
  url: string
  close(): Promise<void>
}

export const startBareRelay = async (options: { port: number; fakeLlmUrl: string }): Promise<BareRelay> => {
  const sockets = new Map<string, Set<WebSocket>>()

  const push = (groupId: string, type: string, data: unknown) => {
    const frame = JSON.stringify({ timestamp: Date.now(), streamName: STREAM_NAME, groupId, event: { type: 'event', event: { type, data } } })
    for (const socket of sockets.get(groupId) ?? []) if (socket.readyState === socket.OPEN) socket.send(frame)
  }

  const relay = async (traceId: string, userId: string, message: string) => {
    const groupId = `user:${userId}`
    const response = await fetch(`${options.fakeLlmUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer fake-openai-key' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, user: userId, messages: [{ role: 'user', content: message }] }),
    })
    if (!response.ok || !response.body) throw new Error(`fake LLM answered ${response.status}`)
    const decoder = new TextDecoder()
    let buffer = ''
    let seq = 0
    let content = ''
    const reader = response.body.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true })
      let newline: number
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim()
        buffer = buffer.slice(newline + 1)
        if (!line.startsWith('data: ') || line === 'data: [DONE]') continue
        const token = (JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content
        if (!token) continue
        content += token
        push(groupId, 'token', { traceId, seq: seq++, token, provider: 'openai' })
      }
    }
    push(groupId, 'complete', { traceId, content, provider: 'openai', tokenCount: seq, finishReason: 'stop' })
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    if (req.method !== 'POST' || req.url !== '/api/chat/stream') {
      res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const { message, userId } = JSON.parse(Buffer.concat(chunks).toString()) as { message: string; userId: string }
      const traceId = randomUUID()
      res.writeHead(202, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ traceId, streamName: STREAM_NAME, groupId: `user:${userId}` }))
      relay(traceId, userId, message).catch((error: Error) =>
        push(`user:${userId}`, 'error', { traceId, code: 'all_providers_failed', message: error.message }),
      )
    })
  })

  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => {
    const joined = new Set<string>()
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type?: string; data?: { groupId?: string } }
      const groupId = message.data?.groupId
      if (message.type !== 'join' || !groupId) return
      let group = sockets.get(groupId)
      if (!group) sockets.set(groupId, (group = new Set()))
      group.add(socket)
      joined.add(groupId)
      socket.send(JSON.stringify({ timestamp: Date.now(), streamName: STREAM_NAME, groupId, event: { type: 'sync', data: [] } }))
    })
    socket.on('close', () => {
      for (const groupId of joined) {
        sockets.get(groupId)?.delete(socket)
        if (sockets.get(groupId)?.size === 0) sockets.delete(groupId)
      }
    })
  })

  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.close(() => resolve())
      }),
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const port = Number(process.env.RELAY_PORT ?? 4120)
  const fakeLlmUrl = process.env.FAKE_LLM_URL ?? `http://127.0.0.1:${process.env.FAKE_LLM_PORT ?? 4110}`
  const relay = await startBareRelay({ port, fakeLlmUrl })
  console.log(`[bare-relay] listening on ${relay.url}, fake LLM ${fakeLlmUrl}`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void relay.close().then(() => process.exit(0)))
}
