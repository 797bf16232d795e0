import type { ChatEvent, ChatMessage, ProviderName, SwitchReason } from '@chat/protocol'
import { CLIENT_ANSWER_STALL_SECONDS, ERROR_CODES, userMessageIdFor } from '@chat/protocol'
import { emptyModel, newTrack, trackText, type AnswerTrack, type ChatModel } from './chat-model'
import { endingNoticeText, errorNoticeText, notSentText, switchNoticeText, waitNoticeText } from './notice-text'
import { isAnswerWaitCode } from './retry-wait'
import type { ViewMessage } from './types'

export type ChatAction =
  /**
   * The client named the answer (`answerId`, sent in the POST): its events and items apply from now on.
   * `replacesFailed`: a retry, so the user message whose POST failed is replaced by this one.
   */
  | { type: 'user_sent'; answerId: string; text: string; at?: string; replacesFailed?: boolean }
  /** The 202: `traceId` is `answerId`, unless the backend did not honour it (then the answer is renamed). */
  | { type: 'post_accepted'; answerId: string; traceId: string }
  /** `waitSeconds`: how long a busy backend or a limit asked the chat to wait before sending again (0 or none: no wait). */
  | { type: 'post_failed'; answerId: string; text: string; error: { code: string; message: string }; waitSeconds?: number }
  /** The wait of the refusal shown (busy, a limit): `seconds` left of it, 0 once it is over. */
  | { type: 'wait_left'; seconds: number }
  | { type: 'event'; event: ChatEvent }
  /** Items from the group sync, a create/update frame, or a read: upserts. With `now`, long-silent answers count as abandoned. */
  | { type: 'items'; items: ChatMessage[]; now?: number }
  /** "New chat": an empty conversation is shown; whatever comes of the previous one is not part of it. */
  | { type: 'new_conversation'; conversationId: string }

/** A streaming answer whose item has not changed for this long was abandoned (the backend fails it sooner). */
export const ABANDONED_AFTER_MS = CLIENT_ANSWER_STALL_SECONDS * 1000

const byCreatedAt = (a: ChatMessage, b: ChatMessage) =>
  a.createdAt.localeCompare(b.createdAt) || (a.role === b.role ? 0 : a.role === 'user' ? -1 : 1)

const updateMessage = (model: ChatModel, id: string, change: Partial<ViewMessage>): ChatModel => ({
  ...model,
  messages: model.messages.map((m) => (m.id === id ? { ...m, ...change } : m)),
})

const withTrack = (model: ChatModel, traceId: string, track: AnswerTrack): ChatModel =>
  updateMessage({ ...model, tracks: { ...model.tracks, [traceId]: track } }, traceId, { content: trackText(track), provider: track.provider })

const answerOf = (model: ChatModel, traceId: string) => model.messages.find((m) => m.id === traceId && m.role === 'assistant')

const trackOf = (model: ChatModel, traceId: string): AnswerTrack => model.tracks[traceId] ?? newTrack(null)

const questionOf = (model: ChatModel, traceId: string): string | null =>
  model.messages.find((m) => m.id === userMessageIdFor(traceId))?.content ?? null

/** A new provider attempt: the partial text is cleared and the user is told which provider replaced which. */
const switchProvider = (
  model: ChatModel,
  traceId: string,
  to: ProviderName,
  reason: SwitchReason | null,
  from: ProviderName | null,
  itemText = '',
): ChatModel => {
  const track = trackOf(model, traceId)
  const left = [track.provider, from].filter((p): p is ProviderName => p !== null && p !== to)
  const next = withTrack(model, traceId, newTrack(to, itemText, [...new Set([...track.abandoned, ...left])]))
  const was = from ?? track.provider
  return was && was !== to ? updateMessage(next, traceId, { notice: { from: was, to, reason, text: switchNoticeText(was, to, reason) } }) : next
}

/**
 * An item that holds more of the attempt's tokens than arrived here (a tab that joined or reconnected mid-answer):
 * the tokens go on after it, so live ones show at once instead of waiting for a gap no frame will fill.
 */
const resumeAfterItem = (track: AnswerTrack, { tokens, content }: ChatMessage): AnswerTrack => {
  if (tokens === undefined || tokens <= track.nextSeq || !content.startsWith(track.tokenText)) return track
  const held = Object.fromEntries(Object.entries(track.held).filter(([seq]) => Number(seq) >= tokens))
  return drainHeld({ ...track, held, nextSeq: tokens, tokenText: content })
}

/** Moves the held tokens that now follow in order into the text. */
const drainHeld = (track: AnswerTrack): AnswerTrack => {
  const held = { ...track.held }
  let { nextSeq, tokenText } = track
  while (nextSeq in held) {
    tokenText += held[nextSeq]
    delete held[nextSeq]
    nextSeq += 1
  }
  return { ...track, held, nextSeq, tokenText }
}

const applyToken = (model: ChatModel, traceId: string, data: Extract<ChatEvent, { type: 'token' }>['data']): ChatModel => {
  const current = trackOf(model, traceId)
  if (current.abandoned.includes(data.provider)) return model
  let next = model
  // A token of a provider not seen yet without its switch event (lost or late): it opens the new attempt.
  if (current.provider !== null && current.provider !== data.provider) next = switchProvider(model, traceId, data.provider, null, null)
  const track = { ...trackOf(next, traceId), provider: data.provider }
  if (data.seq < track.nextSeq || data.seq in track.held) return next
  return withTrack(next, traceId, drainHeld({ ...track, held: { ...track.held, [data.seq]: data.token } }))
}

const applyEvent = (model: ChatModel, event: ChatEvent): ChatModel => {
  const { traceId } = event.data
  const answer = answerOf(model, traceId)
  if (!answer) return model
  // The item may have reported the failure first; the error event still brings its explanation.
  const explainsFailure = event.type === 'error' && answer.status === 'error' && answer.error === null
  if (answer.status !== 'streaming' && !explainsFailure) return model
  switch (event.type) {
    case 'token':
      return applyToken(model, traceId, event.data)
    case 'provider_switch': {
      const { from, to, reason } = event.data
      const track = trackOf(model, traceId)
      if (track.abandoned.includes(to)) return model
      // A token or item of `to` already opened this attempt: keep its text, only give the notice its reason.
      if (track.provider === to) return updateMessage(model, traceId, { notice: { from, to, reason, text: switchNoticeText(from, to, reason) } })
      return switchProvider(model, traceId, to, reason, from)
    }
    case 'complete': {
      const { content, provider, finishReason } = event.data
      return updateMessage(model, traceId, { content, provider, status: 'complete', endingNotice: endingNoticeText(finishReason) })
    }
    case 'error': {
      // The server's message is not shown: the user reads ours for its code.
      const error = { code: event.data.code, message: errorNoticeText(event.data.code) }
      return {
        ...updateMessage(model, traceId, { status: 'error', error }),
        error: { ...error, retryMessage: questionOf(model, traceId), canRetry: true },
      }
    }
  }
}

const INTERRUPTED = { code: ERROR_CODES.interrupted, message: errorNoticeText(ERROR_CODES.interrupted) }

const isUnfinished = (item: ChatMessage) => item.status === 'pending' || item.status === 'streaming'

/** An answer the backend stopped writing long ago (it restarted mid-answer): it would block sending forever. */
const isAbandoned = (item: ChatMessage, now: number | undefined) =>
  item.role === 'assistant' && isUnfinished(item) && now !== undefined && now - Date.parse(item.updatedAt) > ABANDONED_AFTER_MS

const viewOfItem = (item: ChatMessage, now: number | undefined): ViewMessage => {
  const abandoned = isAbandoned(item, now)
  return {
    id: item.id,
    traceId: item.role === 'assistant' ? item.id : item.id.replace(/:user$/, ''),
    role: item.role,
    content: item.content,
    status: abandoned || item.status === 'error' ? 'error' : isUnfinished(item) ? 'streaming' : 'complete',
    provider: item.provider,
    notice: null,
    endingNotice: item.status === 'complete' ? endingNoticeText(item.finishReason) : null,
    error: abandoned ? INTERRUPTED : null,
    createdAt: item.createdAt,
  }
}

/** Inserts a message where its createdAt puts it (a restored conversation may arrive after local messages). */
const insertByTime = (messages: ViewMessage[], message: ViewMessage): ViewMessage[] => {
  const at = message.createdAt ?? ''
  const index = messages.findIndex((m) => m.createdAt !== undefined && m.createdAt > at)
  return index === -1 ? [...messages, message] : [...messages.slice(0, index), message, ...messages.slice(index)]
}

const applyItem = (model: ChatModel, item: ChatMessage, now: number | undefined): ChatModel => {
  const existing = model.messages.find((m) => m.id === item.id)
  if (!existing) {
    const next = { ...model, messages: insertByTime(model.messages, viewOfItem(item, now)) }
    return item.role === 'assistant' ? { ...next, tracks: { ...next.tracks, [item.id]: resumeAfterItem(newTrack(item.provider, item.content), item) } } : next
  }
  if (item.role === 'user' || existing.status !== 'streaming') return model
  if (item.status === 'complete') {
    return updateMessage(model, item.id, { content: item.content, provider: item.provider, status: 'complete', endingNotice: endingNoticeText(item.finishReason) })
  }
  if (isAbandoned(item, now)) return updateMessage(model, item.id, { status: 'error', error: INTERRUPTED })
  if (item.status === 'error') {
    // The error event (if it comes) replaces this with the backend's explanation.
    const error = model.error ?? { code: 'answer_failed', message: errorNoticeText('answer_failed'), retryMessage: questionOf(model, item.id), canRetry: true }
    return { ...updateMessage(model, item.id, { status: 'error' }), error }
  }
  const track = trackOf(model, item.id)
  if (item.provider === null || track.abandoned.includes(item.provider)) return model
  // Only the item says the provider changed (polling or a reload: no events): that is the switch.
  if (track.provider !== null && track.provider !== item.provider) return switchProvider(model, item.id, item.provider, null, null, item.content)
  return withTrack(model, item.id, resumeAfterItem({ ...track, provider: item.provider, itemText: item.content }, item))
}

/** The chat state machine: pure, no I/O. */
export const chatReducer = (model: ChatModel = emptyModel(), action: ChatAction): ChatModel => {
  switch (action.type) {
    case 'user_sent': {
      const { answerId, text, at } = action
      const kept = action.replacesFailed ? model.messages.filter((m) => !(m.role === 'user' && m.status === 'error')) : model.messages
      const base = { traceId: answerId, provider: null, notice: null, endingNotice: null, error: null, createdAt: at }
      const question: ViewMessage = { ...base, id: userMessageIdFor(answerId), role: 'user', content: text, status: 'complete' }
      const answer: ViewMessage = { ...base, id: answerId, role: 'assistant', content: '', status: 'streaming' }
      return {
        ...model,
        error: null,
        awaiting: [...model.awaiting, answerId],
        messages: [...kept, question, answer],
        tracks: { ...model.tracks, [answerId]: newTrack(null) },
      }
    }
    case 'post_accepted': {
      const { answerId, traceId } = action
      const awaiting = model.awaiting.filter((id) => id !== answerId)
      if (traceId === answerId || !answerOf(model, answerId)) return { ...model, awaiting }
      const { [answerId]: track, ...tracks } = model.tracks
      const renamed = (m: ViewMessage): ViewMessage =>
        m.id === answerId ? { ...m, id: traceId, traceId } : m.id === userMessageIdFor(answerId) ? { ...m, id: userMessageIdFor(traceId), traceId } : m
      return { ...model, awaiting, messages: model.messages.map(renamed), tracks: { ...tracks, [traceId]: track ?? newTrack(null) } }
    }
    case 'post_failed': {
      const { answerId } = action
      // Sent in a conversation that is no longer shown.
      if (!answerOf(model, answerId)) return model
      const { [answerId]: _dropped, ...tracks } = model.tracks
      const { code } = action.error
      const waits = isAnswerWaitCode(code)
      const wait = waits ? (action.waitSeconds ?? 0) : 0
      // The words of a busy backend or a limit are not shown: the user reads ours, and when to try again.
      const error = { code, message: waits ? notSentText(code) : errorNoticeText(code) }
      const banner = waits ? { code, message: waitNoticeText(code, wait) } : error
      const messages = model.messages
        .filter((m) => m.id !== answerId)
        .map((m) => (m.id === userMessageIdFor(answerId) ? { ...m, traceId: null, status: 'error' as const, error } : m))
      const awaiting = model.awaiting.filter((id) => id !== answerId)
      return { ...model, messages, tracks, awaiting, error: { ...banner, retryMessage: action.text, canRetry: wait === 0 } }
    }
    case 'wait_left': {
      const { error } = model
      if (!error || !isAnswerWaitCode(error.code)) return model
      const message = waitNoticeText(error.code, action.seconds)
      const canRetry = action.seconds === 0
      // A long wait's words change once a minute: the seconds between leave the model (and what is shown) as it is.
      if (message === error.message && canRetry === error.canRetry) return model
      return { ...model, error: { ...error, message, canRetry } }
    }
    case 'event':
      // Events of an answer this tab does not know (not asked here, not synced yet) are dropped; its item tells.
      return applyEvent(model, action.event)
    case 'items':
      return [...action.items]
        .filter((item) => item.conversationId === model.conversationId)
        .sort(byCreatedAt)
        .reduce<ChatModel>((m, item) => applyItem(m, item, action.now), model)
    case 'new_conversation':
      return emptyModel(action.conversationId)
  }
}
