import {
  createChatController,
  type ChatClientOptions,
  type ChatControllerDeps,
  type ChatController,
  type ChatState,
  type ConversationStorage,
} from '@chat/client'
import type { FakeMotia } from './fake-motia'

let users = 0

/** The fake backend's session of `userId` (it reads the user straight from the token). */
export const fakeSession = (userId: string) => ({ userId, token: `fake.${userId}`, expiresAt: '2999-01-01T00:00:00.000Z' })

/** A tab's sessionStorage, in memory: pass one to two controllers and the second is a reload of the first. */
export const memoryStorage = (): ConversationStorage => {
  const values = new Map<string, string>()
  return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) }
}

export interface Harness {
  controller: ChatController
  userId: string
  /** Every console line the client wrote. */
  lines: string[]
  /** Every state the controller emitted. */
  states: ChatState[]
  state(): ChatState
  /** The distinct texts one answer showed, in order. */
  texts(traceId: string): string[]
  answer(traceId: string): ChatState['messages'][number] | undefined
}

/** A controller for a fresh user of `fake`, with short timings, recording its states and console lines. */
export const startChat = (
  fake: FakeMotia,
  options: Partial<ChatClientOptions> = {},
  deps: ChatControllerDeps = {},
  userId = `user-${process.pid}-${++users}`,
): Harness => {
  const lines: string[] = []
  const logger = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) }
  const controller = createChatController(
    { baseUrl: fake.url, session: fakeSession(userId), connectTimeoutMs: 800, logger, storage: memoryStorage(), ...options },
    { reconnectDelaysMs: [200], silenceCheckMs: 600, ...deps },
  )
  const states: ChatState[] = []
  controller.subscribe((state) => states.push(state))
  return {
    controller,
    userId,
    lines,
    states,
    state: () => controller.getState(),
    texts: (traceId) => {
      const texts: string[] = []
      for (const state of states) {
        const text = state.messages.find((m) => m.id === traceId)?.content
        if (text !== undefined && text !== texts.at(-1)) texts.push(text)
      }
      return texts
    },
    answer: (traceId) => controller.getState().messages.find((m) => m.id === traceId),
  }
}

export const words = (count: number, prefix = 'word'): string[] => Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}${prefix}${i + 1}`)
