import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STREAM_NAME, type ChatMessage } from '@chat/protocol'
import { Stream } from '@motiadev/stream-client-browser'
import { expect, test } from '@playwright/test'
import { createSocketSafely, GuardedStream } from '../../packages/chat-client/src/guarded-stream'
import {
  interceptFrames,
  MOTIA_STREAM_CLIENT_VERSION,
  replaceSocket,
  socketOf,
  takeOverSocketLifecycle,
  type SocketAdapter,
} from '../../packages/chat-client/src/motia-internals'

// Every private member of Motia's stream client that motia-internals.ts uses, checked on real instances of Motia's
// classes (on a browser WebSocket the test drives): a Motia upgrade that changes one fails here, naming it.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PINNED = `motia-internals.ts (written against ${MOTIA_STREAM_CLIENT_VERSION})`

/** A browser WebSocket the test drives: it opens, delivers and closes only when told. */
class DrivenWebSocket {
  static readonly OPEN = 1
  static made: DrivenWebSocket[] = []
  readyState = 0
  readonly sent: unknown[] = []
  private readonly listeners = new Map<string, Set<(event: { data?: string }) => void>>()

  constructor() {
    DrivenWebSocket.made.push(this)
  }
  addEventListener(type: string, listener: (event: { data?: string }) => void): void {
    this.listeners.set(type, (this.listeners.get(type) ?? new Set()).add(listener))
  }
  removeEventListener(type: string, listener: (event: { data?: string }) => void): void {
    this.listeners.get(type)?.delete(listener)
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  close(): void {
    this.readyState = 3
  }
  open(): void {
    this.readyState = DrivenWebSocket.OPEN
    this.emit('open', {})
  }
  drop(): void {
    this.readyState = 3
    this.emit('close', {})
  }
  receive(frame: unknown): void {
    this.emit('message', { data: JSON.stringify(frame) })
  }
  private emit(type: string, event: { data?: string }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event)
  }
}

class RefusedWebSocket {
  constructor() {
    throw new DOMException('blocked by the test', 'SecurityError')
  }
}

const lastSocket = (): DrivenWebSocket => {
  const socket = DrivenWebSocket.made.at(-1)
  if (!socket) throw new Error('the Stream made no WebSocket')
  return socket
}

const globals = globalThis as { WebSocket?: unknown }
const nodeWebSocket = globals.WebSocket
test.beforeEach(() => {
  DrivenWebSocket.made = []
  globals.WebSocket = DrivenWebSocket
})
test.afterAll(() => {
  globals.WebSocket = nodeWebSocket
})

const STREAM_CLASSES = [
  ['Stream', (url: string) => new Stream(url)],
  ['GuardedStream', (url: string) => new GuardedStream(url)],
] as const

/** What motia-internals.ts calls on a socket adapter it gets from, or hands to, a Stream. */
const SOCKET_METHODS = ['isOpen', 'close', 'send', 'onClose', 'onOpen', 'onMessage'] as const

const expectMethods = (owner: string, value: object, names: readonly string[]) => {
  for (const name of names) {
    const kind = typeof (value as Record<string, unknown>)[name]
    expect.soft(kind, `Motia's ${owner}.${name} is ${kind === 'undefined' ? 'gone' : `a ${kind}`}, not a method: ${PINNED} relies on it`).toBe('function')
  }
}

const installedVersion = (from: string, name: string) => {
  const path = createRequire(from).resolve(`${name}/package.json`)
  return { path, version: (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version }
}

test('the installed Motia stream client is the version motia-internals.ts was written against', () => {
  const browser = installedVersion(resolve(ROOT, 'packages/chat-client/package.json'), '@motiadev/stream-client-browser')
  const react = installedVersion(resolve(ROOT, 'packages/chat-client/package.json'), '@motiadev/stream-client-react')
  const installed = [
    browser,
    installedVersion(browser.path, '@motiadev/stream-client'),
    // web-c's Stream comes from the official provider, through the React package's own dependency.
    installedVersion(react.path, '@motiadev/stream-client-browser'),
  ]
  for (const { path, version } of installed) {
    expect
      .soft(version, `${path} is ${version}, not the ${MOTIA_STREAM_CLIENT_VERSION} motia-internals.ts was written against: check every member this spec names on it, then move the pin`)
      .toBe(MOTIA_STREAM_CLIENT_VERSION)
  }
})

for (const [name, make] of STREAM_CLASSES) {
  test(`a ${name} keeps what motia-internals.ts uses: onSocketOpen and onSocketClose on its prototype, its socket in ws`, () => {
    const stream = make('ws://motia.test/streams')
    expectMethods(`${name}.prototype`, Object.getPrototypeOf(stream) as object, ['onSocketOpen', 'onSocketClose', 'createSocket'])
    expect('ws' in stream, `Motia's ${name} keeps no \`ws\` any more: socketOf/replaceSocket in ${PINNED} read and write its socket there`).toBe(true)
    expectMethods(`${name}.ws`, socketOf(stream), SOCKET_METHODS)
    const made = stream.createSocket()
    expect(socketOf(stream), `Motia's ${name}.createSocket() no longer puts its new socket in \`ws\`: ${PINNED} reads it there`).toBe(made)
    expect(socketOf(stream).isOpen(), `Motia's ${name}.ws.isOpen() is true before the socket opened`).toBe(false)
    lastSocket().open()
    expect(socketOf(stream).isOpen(), `Motia's ${name}.ws.isOpen() is false once the socket opened`).toBe(true)
  })

  test(`a ${name}'s socket life cycle taken over: every socket's open and close reach it, the open still joins, restore gives them back`, () => {
    const stream = make('ws://motia.test/streams')
    const calls: string[] = []
    const restore = takeOverSocketLifecycle(stream, { opened: () => calls.push('opened'), closed: () => calls.push('closed') })
    const group = stream.subscribeGroup<ChatMessage>(STREAM_NAME, 'user:u')
    const join = { type: 'join', data: group.sub }
    const first = lastSocket()
    first.open()
    expect(calls, `Motia's ${name} no longer calls this.onSocketOpen() when its socket opens: ${PINNED} shadows it`).toEqual(['opened'])
    expect(first.sent, `Motia's ${name}.prototype.onSocketOpen no longer joins every subscription: ${PINNED} calls it after its own`).toEqual([join])
    first.drop()
    expect(calls, `Motia's ${name} no longer calls this.onSocketClose() when its socket closes: ${PINNED} shadows it`).toEqual(['opened', 'closed'])

    // A reconnection: the next socket is taken over too.
    createSocketSafely(stream)
    lastSocket().open()
    lastSocket().drop()
    expect(calls, `a new socket of Motia's ${name} (createSocket) is not wired to this.onSocketOpen/onSocketClose`).toEqual(['opened', 'closed', 'opened', 'closed'])
    expect(lastSocket().sent).toEqual([join])

    restore()
    stream.createSocket()
    lastSocket().open()
    expect(calls, 'the restored Stream still reports to the lifecycle taken over').toHaveLength(4)
    expect(lastSocket().sent, `Motia's own ${name}.onSocketOpen, restored, does not join`).toEqual([join])
    group.close()
    stream.close()
  })
}

test('replaceSocket: the Stream sends on the socket given, and its close is handled as its own socket close', () => {
  const stream = new GuardedStream('ws://motia.test/streams')
  let closed = 0
  takeOverSocketLifecycle(stream, { opened: () => undefined, closed: () => (closed += 1) })
  const sent: unknown[] = []
  const closeListeners: (() => void)[] = []
  let open = true
  const socket: SocketAdapter = {
    connect: () => undefined,
    send: (message) => void sent.push(JSON.parse(message)),
    isOpen: () => open,
    onMessage: () => undefined,
    onOpen: () => undefined,
    onClose: (listener) => void closeListeners.push(listener),
    close: () => void (open = false),
  }
  replaceSocket(stream, socket)
  expect(socketOf(stream)).toBe(socket)
  const group = stream.subscribeGroup<ChatMessage>(STREAM_NAME, 'user:u')
  expect(sent, "Motia's Stream no longer joins on its `ws`: replaceSocket in motia-internals.ts puts the socket there").toEqual([{ type: 'join', data: group.sub }])
  for (const listener of closeListeners) listener()
  expect(closed, 'a replaced socket closing is not handled once as the Stream would handle its own').toBe(1)
  stream.close()
  expect(open, "Motia's Stream.close() no longer closes its `ws`").toBe(false)
})

test("interceptFrames: every frame of the subscription's room reaches the observer first, then the subscription's own handling", () => {
  const stream = new GuardedStream('ws://motia.test/streams')
  const group = stream.subscribeGroup<ChatMessage>(STREAM_NAME, 'user:u')
  expectMethods('StreamGroupSubscription', group, ['listener'])
  const seen: { frame: unknown; officialState: unknown }[] = []
  interceptFrames(group, (frame) => seen.push({ frame, officialState: group.getState() }))
  lastSocket().open()
  const item: ChatMessage = {
    id: 'a',
    userId: 'u',
    role: 'assistant',
    content: 'Hi',
    status: 'complete',
    provider: 'openai',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  }
  const sync = { streamName: STREAM_NAME, groupId: 'user:u', timestamp: 1, event: { type: 'sync', data: [item] } }
  lastSocket().receive(sync)
  expect(seen, "Motia's Stream no longer hands each frame of a room to its subscriptions' `listener`: interceptFrames in motia-internals.ts replaces it").toEqual([
    { frame: sync, officialState: [] },
  ])
  expect(group.getState(), "the subscription's own handling no longer runs after interceptFrames").toEqual([item])
  group.close()
  stream.close()
})

test('a socket the browser refuses counts as closed, once, whether it is the first or a reconnection', async () => {
  globals.WebSocket = RefusedWebSocket
  const guarded = new GuardedStream('ws://motia.test/streams')
  expect(socketOf(guarded).isOpen()).toBe(false)
  let guardedCloses = 0
  takeOverSocketLifecycle(guarded, { opened: () => undefined, closed: () => (guardedCloses += 1) })
  // The refused socket reports its close on the next turn of the event loop, to every listener at once.
  await expect.poll(() => guardedCloses).toBeGreaterThan(0)
  expect(guardedCloses, "a GuardedStream's refused first socket reported its close more than once").toBe(1)

  globals.WebSocket = DrivenWebSocket
  const official = new Stream('ws://motia.test/streams')
  let officialCloses = 0
  takeOverSocketLifecycle(official, { opened: () => undefined, closed: () => (officialCloses += 1) })
  globals.WebSocket = RefusedWebSocket
  createSocketSafely(official)
  expect(socketOf(official).isOpen()).toBe(false)
  await expect.poll(() => officialCloses).toBeGreaterThan(0)
  expect(officialCloses, 'a refused reconnection (createSocketSafely) reported its close more than once').toBe(1)
  guarded.close()
  official.close()
})
