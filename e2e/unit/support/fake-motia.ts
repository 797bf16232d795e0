import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, resolve } from 'node:path'
import type { ChatEvent, ChatMessage, ProviderName } from '@chat/protocol'
import { ANSWER_ID_PATTERN, groupIdFor, STREAM_NAME, userMessageIdFor } from '@chat/protocol'
import WebSocket, { type WebSocketServer } from 'ws'

/** Motia 0.17's real socket server (the join/sync/room logic under test), loaded from @motiadev/core's dist. */
interface MotiaSocketServer {
  pushEvent(message: { streamName: string; groupId: string; id?: string; event: unknown }): void
  socketServer: WebSocketServer
}
type CreateSocketServer = (options: {
  server: Server
  onJoin(streamName: string, groupId: string, id: string): Promise<unknown>
  onJoinGroup(streamName: string, groupId: string): Promise<unknown[] | undefined>
  authenticate?(request: unknown): Promise<unknown>
  authorize?(subscription: unknown, context: unknown): Promise<boolean>
}) => MotiaSocketServer

const SOCKET_SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../node_modules/@motiadev/core/dist/src/socket-server.mjs')

export interface PostContext {
  /** The answer's id: the POST's `answerId` when it named one, else `trace-<n>`. */
  traceId: string
  userId: string
  message: string
}

/**
 * A stand-in for the chat backend around Motia's own socket server: the stream items and events of the contract,
 * POST /api/chat/stream and GET /api/chat/messages/:traceId, with knobs to break the socket in the ways the client
 * must survive. Listens on an ephemeral port.
 */
export class FakeMotia {
  url = ''
  connections = 0
  gets = 0
  /** The `answerId` of every POST, in order (undefined when it named none). */
  postedAnswerIds: (string | undefined)[] = []
  postedConversationIds: (string | undefined)[] = []
  /** The bearer token of every POST, in order. */
  postedTokens: string[] = []
  /** The subprotocols each socket offered, in order of connection. */
  offeredProtocols: string[] = []
  /** Holds joins while Motia reads the group for the sync (patched: the join is registered, what is published then follows the sync). */
  private joinHold: { waiting: number; released: Promise<void> } | null = null
  /** Joins are never answered (the socket stays open and silent). */
  silentJoins = false
  /** The next POST answers this instead of 202. */
  failNextPost: { status: number; body: unknown; headers?: Record<string, string> } | null = null
  /** What the backend does with an accepted POST, after answering 202 (or before, with `beforeAccept`). */
  onPost: (context: PostContext) => Promise<void> | void = () => undefined
  beforeAccept: ((context: PostContext) => Promise<void> | void) | null = null

  private readonly store = new Map<string, Map<string, ChatMessage>>()
  private server!: Server
  private motia!: MotiaSocketServer
  private traces = 0
  private readonly running: Promise<unknown>[] = []
  private readonly socketUrls: string[] = []
  private readonly socketUrl = new WeakMap<WebSocket, string>()

  static async start(): Promise<FakeMotia> {
    const fake = new FakeMotia()
    await fake.listen()
    return fake
  }

  item(userId: string, id: string): ChatMessage | undefined {
    return this.store.get(groupIdFor(userId))?.get(id)
  }

  /** Stores an item and publishes it as Motia's stream wrapper does (create or update). */
  setItem(item: ChatMessage, publish = true): void {
    const groupId = groupIdFor(item.userId)
    const group = this.store.get(groupId) ?? new Map<string, ChatMessage>()
    this.store.set(groupId, group)
    const exists = group.has(item.id)
    group.set(item.id, item)
    if (publish) this.motia.pushEvent({ streamName: STREAM_NAME, groupId, id: item.id, event: { type: exists ? 'update' : 'create', data: item } })
  }

  updateItem(userId: string, id: string, change: Partial<ChatMessage>, publish = true): void {
    const current = this.item(userId, id)
    if (!current) throw new Error(`no item ${id}`)
    this.setItem({ ...current, ...change, updatedAt: new Date().toISOString() }, publish)
  }

  /** An ephemeral event, as `streams['chat-messages'].send({ groupId }, event)`. */
  publish(userId: string, event: ChatEvent): void {
    this.motia.pushEvent({ streamName: STREAM_NAME, groupId: groupIdFor(userId), event: { type: 'event', event } })
  }

  /**
   * Streams an answer the way the backend does, one frame per token: tokens, an item write every `itemEvery` tokens,
   * complete. `from`: the tokens before it were streamed already (seq and text go on from there).
   */
  streamAnswer(
    context: PostContext,
    tokens: string[],
    options: { provider?: ProviderName; itemEvery?: number; complete?: boolean; from?: number } = {},
  ): void {
    const { traceId, userId } = context
    const provider = options.provider ?? 'openai'
    const from = options.from ?? 0
    if (from === 0) this.updateItem(userId, traceId, { status: 'streaming', provider, content: '', tokens: 0 })
    let content = tokens.slice(0, from).join('')
    for (const [seq, token] of tokens.entries()) {
      if (seq < from) continue
      this.publish(userId, { type: 'token', data: { traceId, seq, token, provider } })
      content += token
      if ((seq + 1) % (options.itemEvery ?? 4) === 0) this.updateItem(userId, traceId, { content, tokens: seq + 1 })
    }
    if (options.complete === false) return
    this.finish(context, content, provider, tokens.length)
  }

  /**
   * From now on, every join waits while Motia reads the group for its sync (after it read it, before it sends it), until
   * `release()`; `waiting` counts the joins held there.
   */
  holdJoins(): { readonly waiting: number; release(): void } {
    let release!: () => void
    const hold = { waiting: 0, released: new Promise<void>((done) => (release = done)) }
    this.joinHold = hold
    return {
      get waiting() {
        return hold.waiting
      },
      release: () => {
        if (this.joinHold === hold) this.joinHold = null
        release()
      },
    }
  }

  /** Back to a well-behaved backend: every knob above at its default, joins no longer held. */
  reset(): void {
    this.silentJoins = false
    this.failNextPost = null
    this.beforeAccept = null
    this.joinHold = null
    this.onPost = () => undefined
  }

  /** The sockets opened so far whose address contains `part` (a user id, a stream path). */
  connectionsTo(part: string): number {
    return this.socketUrls.filter((url) => url.includes(part)).length
  }

  finish(context: PostContext, content: string, provider: ProviderName, tokenCount: number, publish = true): void {
    this.updateItem(context.userId, context.traceId, { status: 'complete', content, provider, finishReason: 'stop' }, publish)
    if (publish) this.publish(context.userId, { type: 'complete', data: { traceId: context.traceId, content, provider, tokenCount, finishReason: 'stop' } })
  }

  /** Closes every socket (or those whose address contains `part`) from the server side, as a dropped network would. */
  dropSockets(part = ''): void {
    for (const socket of this.motia.socketServer.clients) if (this.socketUrl.get(socket)?.includes(part)) socket.terminate()
  }

  /** Keeps every socket open but delivers nothing more to them. */
  muteSockets(): void {
    for (const socket of this.motia.socketServer.clients) socket.send = () => undefined
  }

  /** Waits for the scripts started by POSTs. */
  async settled(): Promise<void> {
    await Promise.all(this.running)
  }

  async close(): Promise<void> {
    for (const socket of this.motia.socketServer.clients) socket.terminate()
    this.motia.socketServer.close()
    await new Promise((done) => this.server.close(done))
  }

  private async listen(): Promise<void> {
    const { createSocketServer } = (await import(pathToFileURL(SOCKET_SERVER).href)) as { createSocketServer: CreateSocketServer }
    this.server = createServer((request, response) => void this.handle(request, response))
    this.motia = createSocketServer({
      server: this.server,
      onJoin: async () => undefined,
      onJoinGroup: async (_streamName, groupId) => {
        const items = [...(this.store.get(groupId)?.values() ?? [])]
        const hold = this.joinHold
        if (hold) {
          hold.waiting += 1
          await hold.released
        }
        return items
      },
      authorize: async () => {
        if (this.silentJoins) await new Promise(() => undefined)
        return true
      },
    })
    this.motia.socketServer.on('connection', (socket, request) => {
      this.connections += 1
      this.offeredProtocols.push(String(request.headers['sec-websocket-protocol'] ?? ''))
      this.socketUrls.push(request.url ?? '')
      this.socketUrl.set(socket, request.url ?? '')
    })
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url)
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    // `fake.<userId>`, or a renewed session's `fake.<userId>~<renewal>`.
    const [, token, userId] = /^Bearer (fake\.([^~]+)(?:~.*)?)$/.exec(request.headers.authorization ?? '') ?? []
    if (!userId) return json(401, { error: { code: 'unauthorized', message: 'A valid session is required' } })
    if (request.method === 'POST' && url.pathname === '/api/chat/stream') {
      let raw = ''
      for await (const chunk of request) raw += chunk
      const body = JSON.parse(raw) as { message: string; stream: boolean; answerId?: string; conversationId?: string }
      this.postedAnswerIds.push(body.answerId)
      this.postedTokens.push(token!)
      this.postedConversationIds.push(body.conversationId)
      if (this.failNextPost) {
        const { status, body: failure, headers } = this.failNextPost
        this.failNextPost = null
        return json(status, failure, headers)
      }
      if (body.stream !== true) return json(400, { error: { code: 'bad_request', message: 'stream must be true here' } })
      if (body.answerId !== undefined && !ANSWER_ID_PATTERN.test(body.answerId)) {
        return json(400, { error: { code: 'invalid_request', message: 'answerId is invalid' } })
      }
      const context: PostContext = { traceId: body.answerId ?? `trace-${++this.traces}`, userId, message: body.message }
      const accepted = { traceId: context.traceId, streamName: STREAM_NAME, groupId: groupIdFor(userId) }
      // As the backend: a POST naming an answer that exists is answered again and starts nothing.
      if (this.item(userId, context.traceId)) return json(202, accepted)
      const now = new Date().toISOString()
      const base = { userId, conversationId: body.conversationId, createdAt: now, updatedAt: now }
      this.setItem({ ...base, id: userMessageIdFor(context.traceId), role: 'user', content: body.message, status: 'complete', provider: null })
      this.setItem({ ...base, id: context.traceId, role: 'assistant', content: '', status: 'pending', provider: null })
      await this.beforeAccept?.(context)
      json(202, accepted)
      this.running.push(Promise.resolve(this.onPost(context)))
      return
    }
    const message = /^\/api\/chat\/messages\/([^/]+)$/.exec(url.pathname)
    if (request.method === 'GET' && message) {
      this.gets += 1
      const item = this.item(userId, decodeURIComponent(message[1] ?? ''))
      return item ? json(200, item) : json(404, { error: { code: 'not_found', message: 'No such message' } })
    }
    json(404, { error: { code: 'not_found', message: 'No such route' } })
  }
}

/** `ws` as a browser's WebSocket: a failed connection emits `error` and `close`, and nothing throws. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols)
    this.on('error', () => undefined)
  }
}

/** Node 20 has no WebSocket global; the browser client finds `ws`'s (same API) there. */
export const installWebSocket = (impl: unknown = BrowserLikeWebSocket): void => {
  ;(globalThis as { WebSocket?: unknown }).WebSocket = impl
}
