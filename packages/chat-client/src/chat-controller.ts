import { CLIENT_ANSWER_STALL_SECONDS, ERROR_CODES, groupIdFor, newAnswerId, STREAM_NAME, type ChatMessage } from '@chat/protocol'
import type { Stream } from '@motiadev/stream-client-browser'
import { pollAnswer } from './answer-poller'
import type { AnswerReads } from './answer-reads'
import { AnswerWatchdog } from './answer-watchdog'
import { ChatApiError, fetchChatMessage, postChatMessage } from './chat-api'
import { emptyModel, isWaitingOut, type ChatModel } from './chat-model'
import { chatReducer, type ChatAction } from './chat-reducer'
import { chatSnapshot } from './chat-snapshot'
import { currentConversation, startConversation, tabStorage } from './conversation'
import { StreamConnection } from './stream-connection'
import { REVEAL_STEP_MS, TextReveal } from './text-reveal'
import type { ChatClientOptions, ChatController, ChatState, Transport } from './types'
import { normalizeBaseUrl, toWsUrl } from './ws-url'
import { Deadline } from './deadline'
import { afterTimeout, monotonicNow, type Now, type Schedule } from './schedule'
import { countDown, waitSeconds as refusalWait } from './retry-wait'
import { nextFrame, type FrameSchedule } from './next-frame'

const SILENCE_CHECK_MS = 3000
const STALE_CONFIRM_MS = 1000

/** What the controller may be given besides its options: the React bindings' Stream, timings for tests. */
export interface ChatControllerDeps {
  /** A Motia Stream to subscribe on (e.g. `MotiaStreamProvider`'s) instead of a new one; it is not closed with the chat. */
  stream?: Stream
  reconnectDelaysMs?: readonly number[]
  silenceCheckMs?: number
  /** Default: setTimeout. Every timer of the chat (the join's timeout, reconnections, polls, the watchdog, the stall
   * bound, the reveal's pace) runs on it, so specs drive them with a clock of their own. */
  schedule?: Schedule
  /** The time `schedule` runs on. Default: `performance.now`. */
  now?: Now
  /** When the state is handed to the UI (once per frame at most, however many tokens came since). Default: `nextFrame(schedule, now)`. */
  frame?: FrameSchedule
}

/**
 * One user's chat: the socket when it is live, polling when it is not, and the state the UI renders.
 * Answers in progress are polled while the socket is down and guarded by a watchdog while it is live.
 */
export const createChatController = (options: ChatClientOptions, deps: ChatControllerDeps = {}): ChatController => {
  const logger = options.logger ?? console
  const baseUrl = normalizeBaseUrl(options.baseUrl)
  const { userId } = options.session
  /** The session's token; a renewal replaces it (`renewSession`). */
  let token = options.session.token
  const label = `${STREAM_NAME}:${groupIdFor(userId)}`
  const storage = options.storage === undefined ? tabStorage() : options.storage
  let model: ChatModel = emptyModel(currentConversation(userId, storage))
  let transport: Transport = 'connecting'
  let pollsHealthy = true
  let closed = false
  const listeners = new Set<(state: ChatState) => void>()
  const pollers = new Map<string, () => void>()
  /** Per answer in progress: what it showed last, and when it counts as stalled. */
  const stalls = new Map<string, { progress: string; deadline: Deadline }>()
  const schedule = deps.schedule ?? afterTimeout
  const now = deps.now ?? monotonicNow

  const findMessage = (id: string) => model.messages.find((m) => m.id === id)
  // An answer whose POST is unanswered has no item to read yet: it is polled or watched once the 202 confirms it.
  const streamingAnswers = () =>
    model.messages.filter((m) => m.role === 'assistant' && m.status === 'streaming' && !model.awaiting.includes(m.id))
  const reveal = new TextReveal(REVEAL_STEP_MS, findMessage, () => emit(), schedule)

  const snapshot = () => chatSnapshot(userId, model, transport === 'polling' && !pollsHealthy ? 'offline' : transport, (m) => reveal.view(m))
  let state = snapshot()
  /** The model changed since `state` was made. */
  let stale = false
  const current = () => {
    if (stale) {
      state = snapshot()
      stale = false
    }
    return state
  }
  const frame = deps.frame ?? nextFrame(schedule, now)
  /** Changes since the listeners last heard; a hand-over is asked for while there are any. */
  let changesWaiting = 0
  let cancelFrame: () => void = () => undefined

  /**
   * Listeners hear of changes at most once per frame (every other frame while several changes come per frame, see
   * `nextFrame`): tokens may come faster than frames (5 ms apart is 3 a frame), and a render per token would paint
   * nothing more, only cost the main thread. `getState` is always current.
   */
  const emit = () => {
    if (closed) return
    stale = true
    changesWaiting += 1
    if (changesWaiting > 1) return
    cancelFrame = frame(
      () => {
        changesWaiting = 0
        if (closed) return
        const next = current()
        for (const listener of listeners) listener(next)
      },
      () => changesWaiting,
    )
  }

  /** Puts every answer in progress on its channel: polled while the socket is down, watched while it is live. */
  const reconcile = () => {
    if (closed) return
    for (const answer of streamingAnswers()) {
      if (connection.isLive) watchdog.watch(answer.id)
      else startPolling(answer.id)
      watchForStall(answer)
    }
    for (const message of model.messages) {
      if (message.role === 'assistant' && message.status !== 'streaming') forgetAnswer(message.id)
    }
    reveal.kick()
  }

  /** Stops watching, polling and timing an answer. */
  const forgetAnswer = (id: string) => {
    watchdog.forget(id)
    pollers.get(id)?.()
    pollers.delete(id)
    stalls.get(id)?.deadline.clear()
    stalls.delete(id)
  }

  /**
   * An answer that shows no progress (no new text, provider or status, by any channel) for the backend's stall
   * bound plus a margin is shown failed with Retry: the backend would have failed it by now, so its word was lost.
   */
  const watchForStall = (answer: { id: string; content: string; provider: string | null; status: string }) => {
    const progress = `${answer.status}|${answer.provider}|${answer.content.length}`
    let stall = stalls.get(answer.id)
    if (stall?.progress === progress) return
    if (!stall) {
      const deadline = new Deadline(schedule, now, () => {
        stalls.delete(answer.id)
        logger.warn(`[MotiaStream] ${answer.id} made no progress for ${CLIENT_ANSWER_STALL_SECONDS} s; showing it as interrupted`)
        const message = `No word of this answer for ${CLIENT_ANSWER_STALL_SECONDS} s: it was interrupted. Try again.`
        dispatch({ type: 'event', event: { type: 'error', data: { traceId: answer.id, code: ERROR_CODES.interrupted, message } } })
      })
      stalls.set(answer.id, (stall = { progress, deadline }))
    }
    stall.progress = progress
    stall.deadline.set(CLIENT_ANSWER_STALL_SECONDS * 1000)
  }

  /** Applies `action`; `settle` runs on the new model before anyone hears of it. */
  const dispatch = (action: ChatAction, settle?: () => void) => {
    model = chatReducer(model, action)
    settle?.()
    reconcile()
    emit()
  }

  /** Applies items that may jump ahead of what is shown (a read, a sync): the jump is revealed word by word. */
  const dispatchRevealed = (items: ChatMessage[]) => {
    const ids = new Set(items.map((item) => item.id))
    const seen = streamingAnswers()
      .filter((answer) => ids.has(answer.id))
      .map((answer) => ({ id: answer.id, shown: reveal.view(answer).content }))
    dispatch({ type: 'items', items, now: Date.now() }, () => {
      for (const { id, shown } of seen) reveal.follow(id, shown)
    })
  }

  /** How the poller and the watchdog read an answer's item: what they read is revealed word by word. */
  const reads: AnswerReads = {
    fetchItem: (traceId) => fetchChatMessage(baseUrl, token, traceId),
    onItem: (item) => dispatchRevealed([item]),
    schedule,
    now,
  }

  const startPolling = (traceId: string) => {
    if (pollers.has(traceId) || closed) return
    const stop = pollAnswer({
      ...reads,
      traceId,
      intervalMs: options.pollIntervalMs ?? 250,
      onHealth: (ok) => {
        if (ok === pollsHealthy) return
        pollsHealthy = ok
        emit()
      },
    })
    pollers.set(traceId, stop)
  }

  const stopPolling = () => {
    for (const stop of pollers.values()) stop()
    pollers.clear()
    pollsHealthy = true
  }

  const setTransport = (next: Transport) => {
    if (next === transport) return
    if (next === 'polling') logger.warn(`[MotiaStream] WebSocket unavailable for ${label}; falling back to polling`)
    if (next === 'websocket' && transport === 'polling') logger.log(`[MotiaStream] WebSocket is back for ${label}; streaming live again`)
    transport = next
    emit()
  }

  const watchdog = new AnswerWatchdog({
    silenceMs: deps.silenceCheckMs ?? SILENCE_CHECK_MS,
    confirmMs: STALE_CONFIRM_MS,
    ...reads,
    onStale: () => {
      logger.warn(`[MotiaStream] ${label} stopped delivering; reconnecting`)
      connection.restart('stale')
    },
  })

  const connection = new StreamConnection({
    wsUrl: toWsUrl(baseUrl, userId),
    userId,
    token,
    connectTimeoutMs: options.connectTimeoutMs ?? 3000,
    reconnectDelaysMs: deps.reconnectDelaysMs,
    logger,
    stream: deps.stream,
    schedule,
    onLive: () => {
      // The socket takes over: polls stop, the sync that follows brings every answer's item.
      stopPolling()
      setTransport('websocket')
    },
    onDown: () => {
      watchdog.stop()
      setTransport('polling')
      reconcile()
    },
    onSync: (items) => {
      for (const item of items) watchdog.frame(item.id, item.updatedAt)
      dispatchRevealed(items)
    },
    onItem: (item) => {
      watchdog.frame(item.id, item.updatedAt)
      dispatch({ type: 'items', items: [item] })
    },
    onEvent: (event) => {
      watchdog.frame(event.data.traceId)
      // The answer streams live: its text shows as it comes, whatever a sync or a read had left to reveal.
      reveal.release(event.data.traceId)
      dispatch({ type: 'event', event })
    },
  })

  let cancelWait: () => void = () => undefined

  /**
   * A busy backend or a limit asked for `seconds`: the state counts them down, and Retry and sending wait until they
   * passed. A second whose words are those shown already (a long wait is shown in minutes) changes nothing.
   */
  const waitOut = (seconds: number) => {
    cancelWait()
    cancelWait = countDown(seconds, schedule, now, (left) => {
      const action: ChatAction = { type: 'wait_left', seconds: left }
      if (chatReducer(model, action) !== model) dispatch(action)
    })
  }

  const submit = async (text: string, replacesFailed: boolean) => {
    const message = text.trim()
    if (!message || closed || current().isStreaming || isWaitingOut(model)) return
    // The client names the answer, so its tokens are painted as they come, before the 202 is read. Every send
    // (a retry too) is a new answer with a new id.
    const answerId = newAnswerId()
    dispatch({ type: 'user_sent', answerId, text: message, at: new Date().toISOString(), replacesFailed })
    try {
      const accepted = await postChatMessage(baseUrl, token, { message, conversationId: model.conversationId, answerId })
      dispatch({ type: 'post_accepted', answerId, traceId: accepted.traceId })
    } catch (error) {
      const failure = error instanceof ChatApiError ? error : new ChatApiError('unknown', String(error), null)
      const waitSeconds = refusalWait(failure.code, failure.retryAfterSeconds)
      dispatch({ type: 'post_failed', answerId, text: message, error: { code: failure.code, message: failure.message }, waitSeconds })
      if (waitSeconds > 0) waitOut(waitSeconds)
    }
  }

  return {
    getState: current,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    send: (message) => submit(message, false),
    async retry() {
      const retryMessage = model.error?.retryMessage
      if (retryMessage) await submit(retryMessage, true)
    },
    newChat() {
      if (closed) return
      // An answer still under way goes on in its own conversation; this tab no longer shows or follows it.
      for (const message of model.messages) forgetAnswer(message.id)
      cancelWait()
      dispatch({ type: 'new_conversation', conversationId: startConversation(userId, storage) })
    },
    renewSession(session) {
      if (closed || session.userId !== userId || session.token === token) return
      token = session.token
      connection.useToken(token)
    },
    close() {
      if (closed) return
      closed = true
      connection.close()
      stopPolling()
      for (const stall of stalls.values()) stall.deadline.clear()
      stalls.clear()
      watchdog.stop()
      reveal.stop()
      cancelWait()
      cancelFrame()
      listeners.clear()
    },
  }
}
