import type { ProviderName } from '@chat/protocol'
import type { ChatState, ViewMessage } from './types'

/** What the client knows of one answer's tokens: in seq order, gaps held back, per provider attempt. */
export interface AnswerTrack {
  provider: ProviderName | null
  /** Providers this answer already left: their late tokens and items are stale (the chain never goes back). */
  abandoned: ProviderName[]
  nextSeq: number
  held: Record<number, string>
  /** The text of tokens 0..nextSeq-1 of this attempt. */
  tokenText: string
  /** The latest stream item's text for this attempt (a reload, a late joiner or a poller knows no tokens). */
  itemText: string
}

export interface ChatModel {
  /** The conversation shown: items of the user's other conversations are not part of it. */
  conversationId?: string
  messages: ViewMessage[]
  tracks: Record<string, AnswerTrack>
  /** Answers whose POST has not been answered yet (their events and items apply already; nobody polls them yet). */
  awaiting: string[]
  error: ChatState['error']
}

/** The wait of a busy backend or a limit runs: Retry is not offered and no message is sent until it is over (the only such errors). */
export const isWaitingOut = (model: ChatModel): boolean => model.error?.canRetry === false

export const emptyModel = (conversationId?: string): ChatModel => ({ conversationId, messages: [], tracks: {}, awaiting: [], error: null })

export const newTrack = (provider: ProviderName | null, itemText = '', abandoned: ProviderName[] = []): AnswerTrack => ({
  provider,
  abandoned,
  nextSeq: 0,
  held: {},
  tokenText: '',
  itemText,
})

/** The longest text both sources agree on: the item's text when it extends the tokens', else the tokens'. */
export const trackText = (track: AnswerTrack): string =>
  track.itemText.length > track.tokenText.length && track.itemText.startsWith(track.tokenText) ? track.itemText : track.tokenText
