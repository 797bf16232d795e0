import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'
import WebSocket, { type WebSocketServer } from 'ws'

/** Motia 0.17's socket server as patched (patches/@motiadev+core+…): what a backend instance's sockets get. */
interface Route {
  streamName: string
  groupId: string
  id?: string
}
interface MotiaSocketServer {
  pushEvent(message: Route & { event: unknown }): void
  pushSerialized(route: Route, body: string): void
  socketServer: WebSocketServer
}
type CreateSocketServer = (options: {
  server: Server
  onJoin(): Promise<unknown>
  onJoinGroup(): Promise<unknown[]>
}) => MotiaSocketServer

const SOCKET_SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules/@motiadev/core/dist/src/socket-server.mjs')
const route: Route = { streamName: 'chat-messages', groupId: 'user:u1' }
const token = (seq: number) => ({ ...route, event: { type: 'event', event: { type: 'token', data: { traceId: 't', seq, token: ` w${seq}`, provider: 'openai' } } } })

/** A real socket server with one client joined to `user:u1`; counts the writes the server's TCP socket makes. */
const joinedClient = async () => {
  const { createSocketServer } = (await import(pathToFileURL(SOCKET_SERVER).href)) as { createSocketServer: CreateSocketServer }
  const server = createServer()
  const motia = createSocketServer({ server, onJoin: async () => null, onJoinGroup: async () => [] })
  const connected = new Promise<Socket>((done) => motia.socketServer.once('connection', (socket) => done((socket as unknown as { _socket: Socket })._socket)))
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
  const frames: Array<{ timestamp: number } & Record<string, unknown>> = []
  const received = (count: number) => expect.poll(() => frames.length).toBe(count)
  client.on('message', (raw) => frames.push(JSON.parse(raw.toString())))
  await new Promise((done) => client.once('open', done))
  const connection = await connected
  client.send(JSON.stringify({ type: 'join', data: { ...route, subscriptionId: 's1' } }))
  await received(1)
  frames.length = 0
  let writes = 0
  // Node's socket hands the kernel one buffer through `_write` or several through `_writev`: each call is one write.
  const methods = connection as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>
  for (const method of ['_write', '_writev'] as const) {
    const original = methods[method].bind(connection)
    methods[method] = (...args: unknown[]) => {
      writes += 1
      original(...args)
    }
  }
  return {
    motia,
    frames,
    received,
    writes: () => writes,
    close: async () => {
      client.terminate()
      motia.socketServer.close()
      await new Promise((done) => server.close(done))
    },
  }
}

test('the frames one socket gets in one tick go out in one write, in order; the next tick\'s in another', async () => {
  const socket = await joinedClient()
  try {
    for (let seq = 0; seq < 5; seq++) socket.motia.pushEvent(token(seq))
    await socket.received(5)
    expect(socket.writes()).toBe(1)
    socket.motia.pushEvent(token(5))
    await socket.received(6)
    expect(socket.writes()).toBe(2)
    expect(socket.frames.map((frame) => (frame.event as ReturnType<typeof token>['event']).event.data.seq)).toEqual([0, 1, 2, 3, 4, 5])
  } finally {
    await socket.close()
  }
})

test('a message another instance serialised reaches the socket as the same frame as one published here, stamped with this instance\'s time', async () => {
  const socket = await joinedClient()
  try {
    const before = Date.now()
    socket.motia.pushEvent(token(0))
    socket.motia.pushSerialized(route, JSON.stringify(token(1)))
    await socket.received(2)
    const [local, remote] = socket.frames.map(({ timestamp, ...frame }) => {
      expect(timestamp).toBeGreaterThanOrEqual(before)
      return frame
    })
    expect(local).toEqual(token(0))
    expect(remote).toEqual(token(1))
    expect(Object.keys(socket.frames[1]!)[0]).toBe('timestamp')
  } finally {
    await socket.close()
  }
})
