import type { ChatEvent, ChatMessage, ProviderName } from '@chat/protocol'
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

export type BufferedEntry = { kind: 'event'; event: ChatEvent } | { kind: 'item'; item: ChatMessage }

export interface ChatModel {
  messages: ViewMessage[]
  tracks: Record<string, AnswerTrack>
  /** Events and items that arrived while a POST was in flight, before its traceId was known. */
  buffered: BufferedEntry[]
  postsInFlight: number
  error: ChatState['error']
}

export const emptyModel = (): ChatModel => ({ messages: [], tracks: {}, buffered: [], postsInFlight: 0, error: null })

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
