import type { ChatEvent, ChatMessage } from '@chat/protocol'
import { userMessageIdFor } from '@chat/protocol'
import { emptyModel, newTrack, trackText, type AnswerTrack, type ChatModel } from './chat-model'
import { switchNoticeText } from './notice-text'
import type { ViewMessage } from './types'

export type ChatAction =
  | { type: 'user_sent'; localId: string; text: string }
  | { type: 'post_accepted'; localId: string; traceId: string }
  | { type: 'post_failed'; localId: string; text: string; error: { code: string; message: string } }
  | { type: 'event'; event: ChatEvent }
  /** Items from the group sync, a group change, or a poll: upserts. */
  | { type: 'items'; items: ChatMessage[] }

const byCreatedAt = (a: ChatMessage, b: ChatMessage) =>
  a.createdAt.localeCompare(b.createdAt) || (a.role === b.role ? 0 : a.role === 'user' ? -1 : 1)

const updateMessage = (model: ChatModel, id: string, change: Partial<ViewMessage>): ChatModel => ({
  ...model,
  messages: model.messages.map((m) => (m.id === id ? { ...m, ...change } : m)),
})

const withTrack = (model: ChatModel, traceId: string, track: AnswerTrack): ChatModel =>
  updateMessage({ ...model, tracks: { ...model.tracks, [traceId]: track } }, traceId, { content: trackText(track), provider: track.provider })

const answerOf = (model: ChatModel, traceId: string) => model.messages.find((m) => m.id === traceId && m.role === 'assistant')

const applyToken = (model: ChatModel, traceId: string, data: Extract<ChatEvent, { type: 'token' }>['data']): ChatModel => {
  const current = model.tracks[traceId] ?? newTrack(data.provider)
  // A token of another provider without its switch event (the switch frame was lost): a new attempt.
  const track = current.provider === data.provider || current.provider === null ? { ...current, provider: data.provider } : newTrack(data.provider)
  if (data.seq < track.nextSeq || data.seq in track.held) return model
  const held = { ...track.held, [data.seq]: data.token }
  let { nextSeq, tokenText } = track
  while (nextSeq in held) {
    tokenText += held[nextSeq]
    delete held[nextSeq]
    nextSeq += 1
  }
  return withTrack(model, traceId, { ...track, held, nextSeq, tokenText })
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
      const next = withTrack(model, traceId, newTrack(to))
      return updateMessage(next, traceId, { notice: { from, to, reason, text: switchNoticeText(from, to, reason) } })
    }
    case 'complete':
      return updateMessage(model, traceId, { content: event.data.content, provider: event.data.provider, status: 'complete' })
    case 'error': {
      const question = model.messages.find((m) => m.id === userMessageIdFor(traceId))
      const error = { code: event.data.code, message: event.data.message }
      return {
        ...updateMessage(model, traceId, { status: 'error', error }),
        error: { ...error, retryMessage: question?.content ?? null },
      }
    }
  }
}

const viewOfItem = (item: ChatMessage): ViewMessage => ({
  id: item.id,
  traceId: item.role === 'assistant' ? item.id : item.id.replace(/:user$/, ''),
  role: item.role,
  content: item.content,
  status: item.status === 'complete' ? 'complete' : item.status === 'error' ? 'error' : 'streaming',
  provider: item.provider,
  notice: null,
  error: null,
})

const applyItem = (model: ChatModel, item: ChatMessage): ChatModel => {
  const existing = model.messages.find((m) => m.id === item.id)
  if (!existing) {
    const next = { ...model, messages: [...model.messages, viewOfItem(item)] }
    return item.role === 'assistant' ? { ...next, tracks: { ...next.tracks, [item.id]: newTrack(item.provider, item.content) } } : next
  }
  if (item.role === 'user' || existing.status !== 'streaming') return model
  if (item.status === 'complete') return updateMessage(model, item.id, { content: item.content, provider: item.provider, status: 'complete' })
  if (item.status === 'error') return updateMessage(model, item.id, { status: 'error' })
  const track = model.tracks[item.id] ?? newTrack(item.provider)
  if (track.provider !== null && item.provider !== null && item.provider !== track.provider) return model
  return withTrack(model, item.id, { ...track, provider: track.provider ?? item.provider, itemText: item.content })
}

/** Applies what is buffered now that no POST is in flight (or its traceId is known). */
const flush = (model: ChatModel): ChatModel => {
  if (model.postsInFlight > 0 || model.buffered.length === 0) return model
  return model.buffered.reduce<ChatModel>(
    (m, entry) => (entry.kind === 'event' ? applyEvent(m, entry.event) : applyItem(m, entry.item)),
    { ...model, buffered: [] },
  )
}

const isKnown = (model: ChatModel, id: string) => model.messages.some((m) => m.id === id)

/** The chat state machine: pure, no I/O. */
export const chatReducer = (model: ChatModel = emptyModel(), action: ChatAction): ChatModel => {
  switch (action.type) {
    case 'user_sent':
      return {
        ...model,
        error: null,
        postsInFlight: model.postsInFlight + 1,
        messages: [
          ...model.messages,
          { id: action.localId, traceId: null, role: 'user', content: action.text, status: 'complete', provider: null, notice: null, error: null },
        ],
      }
    case 'post_accepted': {
      const messages = model.messages
        .filter((m) => m.id !== userMessageIdFor(action.traceId) && m.id !== action.traceId)
        .map((m) => (m.id === action.localId ? { ...m, id: userMessageIdFor(action.traceId), traceId: action.traceId } : m))
      const answer: ViewMessage = { id: action.traceId, traceId: action.traceId, role: 'assistant', content: '', status: 'streaming', provider: null, notice: null, error: null }
      return flush({
        ...model,
        postsInFlight: model.postsInFlight - 1,
        messages: [...messages, answer],
        tracks: { ...model.tracks, [action.traceId]: newTrack(null) },
      })
    }
    case 'post_failed':
      return flush({
        ...updateMessage(model, action.localId, { status: 'error', error: action.error }),
        postsInFlight: model.postsInFlight - 1,
        error: { ...action.error, retryMessage: action.text },
      })
    case 'event':
      if (!answerOf(model, action.event.data.traceId)) {
        return model.postsInFlight > 0 ? { ...model, buffered: [...model.buffered, { kind: 'event', event: action.event }] } : model
      }
      return applyEvent(model, action.event)
    case 'items':
      return [...action.items].sort(byCreatedAt).reduce<ChatModel>((m, item) => {
        if (!isKnown(m, item.id) && m.postsInFlight > 0) return { ...m, buffered: [...m.buffered, { kind: 'item', item }] }
        return applyItem(m, item)
      }, model)
  }
}
