import { expect } from '@playwright/test'
import {
  createChatController,
  type ChatClientOptions,
  type ChatControllerDeps,
  type FrameSchedule,
  type ChatController,
  type ChatState,
  type ConversationStorage,
} from '@chat/client'
import { REVEAL_STEP_MS } from '../../../packages/chat-client/src/text-reveal'
import type { FakeMotia } from './fake-motia'
import { manualClock, type ManualClock } from './manual-clock'

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
  /** Every timer of the chat runs on it: nothing happens on the wall clock's time. */
  clock: ManualClock
  /** Every console line the client wrote. */
  lines: string[]
  /** Every state the controller emitted. */
  states: ChatState[]
  state(): ChatState
  /** The distinct texts one answer showed, in order. */
  texts(traceId: string): string[]
  answer(traceId: string): ChatState['messages'][number] | undefined
  /** The answer once the reveal caught up with the text the chat holds (its pending steps run on the clock). */
  revealed(traceId: string): ChatState['messages'][number] | undefined
}

const everyChange: FrameSchedule = (run) => {
  run()
  return () => undefined
}

/** A controller for a fresh user of `fake` on a manual clock (the client's own timings), recording its states and console lines. */
export const startChat = (
  fake: FakeMotia,
  options: Partial<ChatClientOptions> = {},
  deps: ChatControllerDeps = {},
  userId = `user-${process.pid}-${++users}`,
): Harness => {
  const lines: string[] = []
  const logger = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) }
  const clock = manualClock()
  const controller = createChatController(
    { baseUrl: fake.url, session: fakeSession(userId), logger, storage: memoryStorage(), ...options },
    // Every change reaches the listeners at once: these specs read each state (one per frame is state-per-frame.spec's).
    { schedule: clock.schedule, now: () => clock.now, frame: everyChange, ...deps },
  )
  const states: ChatState[] = []
  controller.subscribe((state) => states.push(state))
  const answer = (traceId: string) => controller.getState().messages.find((m) => m.id === traceId)
  return {
    controller,
    userId,
    clock,
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
    answer,
    revealed: (traceId) => {
      for (let steps = 0; steps < 1000 && clock.waiting().includes(REVEAL_STEP_MS); steps++) clock.advance(REVEAL_STEP_MS)
      return answer(traceId)
    },
  }
}

export const words = (count: number, prefix = 'word'): string[] => Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}${prefix}${i + 1}`)

/**
 * `expect.poll` looking every 10 ms: what these tests wait for is in-process I/O on loopback (a frame, a response), done
 * in a few milliseconds, so the default pace (100 ms, then 250, 500…) would be most of their time.
 */
export const eventually = <T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(read, { intervals: [10], ...options })
