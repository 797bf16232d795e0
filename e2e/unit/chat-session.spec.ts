import { expect, test } from '@playwright/test'
import { ERROR_CODES, type Session } from '@chat/protocol'
import { createChatSession, RENEW_WITHIN_MS, SESSION_RETRY_MS, sessionWaitNoticeText, type ChatSessionState } from '@chat/client'
import { ChatApiError } from '../../packages/chat-client/src/chat-api'
import { manualClock } from './support/manual-clock'

// The framework-free session bootstrap (`createChatSession`, what React's `useChatSessionState` wraps), on a manual
// clock: its timers and the wall clock it reads expiries against both move only when the test moves them.

const WALL_START = Date.parse('2030-01-01T00:00:00.000Z')
const HOUR = 60 * 60 * 1000

const sessionOf = (userId: string, token: string, expiresInMs: number): Session => ({
  userId,
  token,
  expiresAt: new Date(WALL_START + expiresInMs).toISOString(),
})

/** A `load` the test answers: each call waits until the test resolves or rejects it. */
const scriptedLoad = () => {
  const calls: { resolve(session: Session): void; reject(error: unknown): void }[] = []
  return {
    calls,
    load: () => new Promise<Session>((resolve, reject) => calls.push({ resolve, reject })),
  }
}

const start = () => {
  const clock = manualClock()
  const source = scriptedLoad()
  const controller = createChatSession('http://backend.invalid', {
    load: source.load,
    schedule: clock.schedule,
    now: () => clock.now,
    wallNow: () => WALL_START + clock.now,
  })
  const states: ChatSessionState[] = []
  controller.subscribe((state) => states.push(state))
  return { clock, controller, states, calls: source.calls }
}

/** Lets the promise callbacks of a settled load run. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

const refusal = (retryAfter: number | null) => new ChatApiError(ERROR_CODES.tooManySessions, 'server words, not for users', 429, retryAfter)

test('asks at once; the session given is the state, and it is renewed an hour before it expires, by itself, again and again', async () => {
  const { clock, controller, states, calls } = start()
  expect(calls).toHaveLength(1)
  expect(controller.getState()).toEqual({ session: null, error: null })
  const first = sessionOf('u1', 't1', 12 * HOUR)
  calls[0]!.resolve(first)
  await settle()
  expect(controller.getState()).toEqual({ session: first, error: null })
  expect(clock.waiting()).toEqual([12 * HOUR - RENEW_WITHIN_MS])

  clock.advance(12 * HOUR - RENEW_WITHIN_MS - 1)
  expect(calls).toHaveLength(1)
  clock.advance(1)
  expect(calls).toHaveLength(2)
  const renewed = { ...sessionOf('u1', 't2', 12 * HOUR + 11 * HOUR) }
  calls[1]!.resolve(renewed)
  await settle()
  expect(controller.getState().session).toEqual(renewed)
  expect(clock.waiting()).toEqual([11 * HOUR])
  expect(states.map((s) => s.session?.token)).toEqual(['t1', 't2'])
  controller.close()
  expect(clock.pending).toBe(0)
})

test('a backend that cannot be reached is asked again every 2 s, without a word to the user, until it answers', async () => {
  const { clock, controller, calls } = start()
  for (let attempt = 1; attempt <= 3; attempt++) {
    calls.at(-1)!.reject(new ChatApiError('network_error', 'The chat service cannot be reached.', null))
    await settle()
    expect(controller.getState()).toEqual({ session: null, error: null })
    expect(clock.waiting()).toEqual([SESSION_RETRY_MS])
    clock.advance(SESSION_RETRY_MS)
    expect(calls).toHaveLength(attempt + 1)
  }
  const made = sessionOf('u2', 't', 12 * HOUR)
  calls.at(-1)!.resolve(made)
  await settle()
  expect(controller.getState()).toEqual({ session: made, error: null })
  controller.close()
})

test("a refused new session (429 too_many_sessions): the wait in our words, counted down each second, then it asks again by itself", async () => {
  const { clock, controller, calls } = start()
  calls[0]!.reject(refusal(3))
  await settle()
  const shown = () => controller.getState().error
  expect(shown()).toEqual({ code: ERROR_CODES.tooManySessions, message: sessionWaitNoticeText(3), retryMessage: null, canRetry: false })
  expect(shown()?.message).not.toContain('server words')
  clock.advance(1000)
  expect(shown()?.message).toBe(sessionWaitNoticeText(2))
  clock.advance(1000)
  expect(shown()?.message).toBe(sessionWaitNoticeText(1))
  expect(calls).toHaveLength(1)
  clock.advance(1000)
  expect(calls).toHaveLength(2)
  expect(shown()?.message).toBe(sessionWaitNoticeText(0))
  const made = sessionOf('u3', 't', 12 * HOUR)
  calls[1]!.resolve(made)
  await settle()
  expect(controller.getState()).toEqual({ session: made, error: null })
  controller.close()
})

test('a refusal without Retry-After waits 5 s', async () => {
  const { clock, controller, calls } = start()
  calls[0]!.reject(refusal(null))
  await settle()
  expect(controller.getState().error?.message).toBe(sessionWaitNoticeText(5))
  clock.advance(4999)
  expect(calls).toHaveLength(1)
  clock.advance(1)
  expect(calls).toHaveLength(2)
  controller.close()
})

test('a renewal refused keeps the session it holds (no banner) and asks again after the wait', async () => {
  const { clock, controller, calls } = start()
  const held = sessionOf('u4', 't1', 2 * HOUR)
  calls[0]!.resolve(held)
  await settle()
  clock.advance(HOUR)
  expect(calls).toHaveLength(2)
  calls[1]!.reject(refusal(10))
  await settle()
  expect(controller.getState()).toEqual({ session: held, error: null })
  clock.advance(10_000)
  expect(calls).toHaveLength(3)
  controller.close()
})

test('closed: a load still under way changes nothing, and nothing is asked again', async () => {
  const { clock, controller, states, calls } = start()
  controller.close()
  calls[0]!.resolve(sessionOf('u5', 't', 12 * HOUR))
  await settle()
  expect(controller.getState()).toEqual({ session: null, error: null })
  expect(states).toEqual([])
  expect(clock.pending).toBe(0)
})
