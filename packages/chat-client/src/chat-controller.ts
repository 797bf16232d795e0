import type { ChatMessage } from '@chat/protocol'
import type { Stream } from '@motiadev/stream-client-browser'
import { pollAnswer } from './answer-poller'
import { ChatApiError, postChatMessage } from './chat-api'
import { emptyModel, type ChatModel } from './chat-model'
import { chatReducer, type ChatAction } from './chat-reducer'
import { StreamConnection } from './stream-connection'
import type { ChatClientOptions, ChatController, ChatState, Transport, ViewMessage } from './types'
import { revealNextWord } from './word-reveal'

const REVEAL_STEP_MS = 30

export const toWsUrl = (baseUrl: string, userId: string): string =>
  `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/streams/chat-messages/user:${userId}`

/**
 * One user's chat: the socket when it is live, polling when it is not, and the state the UI renders.
 * `stream` lets the React bindings' `MotiaStreamProvider` supply the Motia Stream.
 */
export const createChatController = (options: ChatClientOptions, deps: { stream?: Stream } = {}): ChatController => {
  const logger = options.logger ?? console
  const baseUrl = options.baseUrl.replace(/\/$/, '')
  const label = `chat-messages:user:${options.userId}`
  let model: ChatModel = emptyModel()
  let transport: Transport = 'connecting'
  let pollsHealthy = true
  let closed = false
  let localIds = 0
  const listeners = new Set<(state: ChatState) => void>()
  /** Answers that are (or were) read by polling, and how much of each is revealed so far. */
  const revealed = new Map<string, string>()
  const pollers = new Map<string, () => void>()
  let revealTimer: ReturnType<typeof setInterval> | undefined

  const snapshot = (): ChatState => {
    const messages = model.messages.map((m): ViewMessage => {
      const shown = revealed.get(m.id)
      if (shown === undefined || shown === m.content) return m
      return { ...m, content: shown, status: 'streaming' }
    })
    const isStreaming = model.postsInFlight > 0 || messages.some((m) => m.role === 'assistant' && m.status === 'streaming')
    const reachable = transport === 'websocket' || transport === 'polling'
    return {
      userId: options.userId,
      transport: transport === 'polling' && !pollsHealthy ? 'offline' : transport,
      messages,
      isStreaming,
      canSend: reachable && !isStreaming,
      error: model.error,
    }
  }
  let state = snapshot()

  const emit = () => {
    state = snapshot()
    for (const listener of listeners) listener(state)
  }

  const reveal = () => {
    let pending = false
    for (const [id, shown] of revealed) {
      const target = model.messages.find((m) => m.id === id)?.content ?? ''
      if (shown === target) continue
      revealed.set(id, revealNextWord(shown, target))
      pending = true
    }
    if (!pending) {
      clearInterval(revealTimer)
      revealTimer = undefined
    }
    emit()
  }

  const dispatch = (action: ChatAction) => {
    model = chatReducer(model, action)
    if (!revealTimer && [...revealed].some(([id, shown]) => model.messages.find((m) => m.id === id)?.content !== shown)) {
      revealTimer = setInterval(reveal, REVEAL_STEP_MS)
    }
    emit()
  }

  const startPolling = (traceId: string) => {
    if (pollers.has(traceId) || closed) return
    const answer = model.messages.find((m) => m.id === traceId)
    if (answer && answer.status !== 'streaming') return
    if (!revealed.has(traceId)) revealed.set(traceId, answer?.content ?? '')
    const stop = pollAnswer({
      baseUrl,
      userId: options.userId,
      traceId,
      intervalMs: options.pollIntervalMs ?? 250,
      onItem: (item: ChatMessage) => {
        dispatch({ type: 'items', items: [item] })
        if (item.status === 'complete' || item.status === 'error') pollers.delete(traceId)
      },
      onHealth: (ok) => {
        if (ok === pollsHealthy) return
        pollsHealthy = ok
        emit()
      },
    })
    pollers.set(traceId, stop)
  }

  const streamingAnswers = () => model.messages.filter((m) => m.role === 'assistant' && m.status === 'streaming' && m.traceId)

  const setTransport = (next: Transport) => {
    if (next === transport) return
    if (next === 'polling') logger.warn(`[MotiaStream] WebSocket unavailable for ${label}; falling back to polling`)
    if (next === 'websocket' && transport === 'polling') logger.log(`[MotiaStream] WebSocket is back for ${label}; streaming live again`)
    transport = next
    emit()
  }

  const connection = new StreamConnection({
    wsUrl: toWsUrl(baseUrl, options.userId),
    userId: options.userId,
    connectTimeoutMs: options.connectTimeoutMs ?? 3000,
    logger,
    stream: deps.stream,
    onLive: () => setTransport('websocket'),
    onDown: () => {
      setTransport('polling')
      for (const answer of streamingAnswers()) startPolling(answer.traceId!)
    },
    onItems: (items) => dispatch({ type: 'items', items }),
    onEvent: (event) => dispatch({ type: 'event', event }),
  })

  const send = async (text: string) => {
    const message = text.trim()
    if (!message || closed) return
    const localId = `local-${++localIds}`
    dispatch({ type: 'user_sent', localId, text: message })
    try {
      const accepted = await postChatMessage(baseUrl, { message, userId: options.userId, conversationId: options.conversationId })
      dispatch({ type: 'post_accepted', localId, traceId: accepted.traceId })
      if (!connection.isLive) startPolling(accepted.traceId)
    } catch (error) {
      const { code, message: why } = error instanceof ChatApiError ? error : new ChatApiError('unknown', String(error), null)
      dispatch({ type: 'post_failed', localId, text: message, error: { code, message: why } })
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    send,
    async retry() {
      const retryMessage = model.error?.retryMessage
      if (retryMessage) await send(retryMessage)
    },
    close() {
      closed = true
      connection.close()
      for (const stop of pollers.values()) stop()
      pollers.clear()
      clearInterval(revealTimer)
      listeners.clear()
    },
  }
}
