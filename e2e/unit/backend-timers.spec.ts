import { EventEmitter } from 'node:events'
import { SESSION_EXPIRED_CLOSE_CODE, type ChatMessage } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { AnswerItem } from '../../apps/backend/lib/answer-item'
import { ProviderFailure } from '../../apps/backend/lib/generation/provider-failure'
import { timedTokenStream } from '../../apps/backend/lib/generation/timed-token-stream'
import { socketExpiryPlugin } from '../../apps/backend/lib/motia/socket-expiry'
import type { LlmProvider } from '../../apps/backend/lib/providers/llm-provider'
import { RedisDeadlineError, RequestDeadline } from '../../apps/backend/lib/redis/request-deadline'
import { onManualGlobalClock, settle } from './support/global-clock'

// The backend's bounds in time — a request's deadline on Redis, a provider's first-token and idle timeouts, the answer
// item's write throttle and final-write retries, a socket's session expiry — each on a manual clock
// (support/global-clock.ts): every delay is checked at its number, and nothing waits on the wall clock.

/** A promise the test settles, and whether it has been. */
const deferred = <T>() => {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)))
  return { promise, resolve, reject }
}
const outcome = <T>(promise: Promise<T>) => {
  const seen: { value?: T; error?: unknown; settled: boolean } = { settled: false }
  promise.then(
    (value) => Object.assign(seen, { value, settled: true }),
    (error: unknown) => Object.assign(seen, { error, settled: true }),
  )
  return seen
}

test.describe('a request deadline on Redis', () => {
  test('work answered in time is returned as it is, and the finished request leaves no timer behind', () =>
    onManualGlobalClock(async (clock) => {
      const deadline = new RequestDeadline(2_000)
      await clock.advance(1_999)
      expect(await deadline.bound(Promise.resolve('OK'))).toBe('OK')
      deadline.done()
      expect(clock.pending).toBe(0)
    }))

  test('past it: the work waiting rejects at the deadline, later work at once, and what lands late is undone', () =>
    onManualGlobalClock(async (clock) => {
      const deadline = new RequestDeadline(2_000)
      const claim = deferred<string>()
      const undone: string[] = []
      const waiting = outcome(deadline.bound(claim.promise, (late) => void undone.push(late)))
      await clock.advance(1_999)
      expect(waiting.settled).toBe(false)
      await clock.advance(1)
      expect(waiting.error).toBeInstanceOf(RedisDeadlineError)
      expect((waiting.error as Error).message).toBe('Redis did not answer within 2000 ms')
      expect(deadline.passed).toBe(true)
      // Later Redis work of the same request is refused without being awaited (it was sent all the same).
      const slot = deferred<string>()
      await expect(deadline.bound(slot.promise, (late) => void undone.push(late))).rejects.toBeInstanceOf(RedisDeadlineError)
      // Redis answers both commands at last: what each did is undone, with its value.
      claim.resolve('release-of-the-claim')
      slot.resolve('give-back-the-slot')
      await settle()
      expect(undone).toEqual(['release-of-the-claim', 'give-back-the-slot'])
    }))

  test('work that fails before the deadline fails with its own error, and nothing is undone', () =>
    onManualGlobalClock(async () => {
      const deadline = new RequestDeadline(2_000)
      const undone: unknown[] = []
      await expect(deadline.bound(Promise.reject(new Error('ECONNREFUSED')), (value) => void undone.push(value))).rejects.toThrow('ECONNREFUSED')
      await settle()
      expect(undone).toEqual([])
      expect(deadline.passed).toBe(false)
      deadline.done()
    }))

  test('work lost to the deadline that then fails, or has no undo, is let go quietly', () =>
    onManualGlobalClock(async (clock) => {
      const deadline = new RequestDeadline(100)
      const failing = deferred<string>()
      const bare = deferred<string>()
      const a = outcome(deadline.bound(failing.promise, () => undefined))
      const b = outcome(deadline.bound(bare.promise))
      await clock.advance(100)
      expect([a.error, b.error].every((error) => error instanceof RedisDeadlineError)).toBe(true)
      failing.reject(new Error('Socket closed unexpectedly'))
      bare.resolve('late')
      await settle()
    }))
})

test.describe("a provider's timeouts", () => {
  /** A provider whose every token (and its end) comes when the test says so. */
  const heldProvider = () => {
    const next: { token: ReturnType<typeof deferred<string | null>> }[] = []
    let signal: AbortSignal | undefined
    const provider: LlmProvider = {
      name: 'openai',
      async *stream(_prompt, abort) {
        signal = abort
        for (;;) {
          const slot = { token: deferred<string | null>() }
          next.push(slot)
          const token = await slot.token.promise
          if (token === null) return 'stop'
          yield token
        }
      },
    }
    return { provider, give: (token: string | null) => next.at(-1)!.token.resolve(token), aborted: () => signal?.aborted }
  }
  const prompt = { text: 'Hi?', history: [], userId: 'u1' }
  const timeouts = { firstTokenMs: 3_000, idleMs: 1_000 }

  test('no first token within the first-token timeout: failure "timeout" at exactly that time, the request aborted', () =>
    onManualGlobalClock(async (clock) => {
      const held = heldProvider()
      const first = outcome(timedTokenStream(held.provider, prompt, timeouts).next())
      await clock.advance(2_999)
      expect(first.settled).toBe(false)
      await clock.advance(1)
      expect(first.error).toBeInstanceOf(ProviderFailure)
      expect(first.error).toMatchObject({ reason: 'timeout', message: 'no first token within 3000 ms' })
      expect(held.aborted()).toBe(true)
    }))

  test('tokens each within the idle timeout never time out; a silence longer than it fails "stalled", counting the tokens', () =>
    onManualGlobalClock(async (clock) => {
      const held = heldProvider()
      const stream = timedTokenStream(held.provider, prompt, timeouts)
      const tokens: string[] = []
      for (const token of ['a', 'b', 'c']) {
        const step = stream.next()
        await clock.advance(token === 'a' ? 2_500 : 999)
        held.give(token)
        tokens.push((await step).value as string)
      }
      expect(tokens).toEqual(['a', 'b', 'c'])
      const silent = outcome(stream.next())
      await clock.advance(999)
      expect(silent.settled).toBe(false)
      await clock.advance(1)
      expect(silent.error).toMatchObject({ reason: 'stalled', message: 'no token for 1000 ms after 3 tokens' })
      expect(held.aborted()).toBe(true)
      expect(clock.pending, 'no timeout left armed').toBe(0)
    }))
})

test.describe('the answer item', () => {
  const stored: ChatMessage = {
    id: 't1',
    userId: 'u1',
    conversationId: 'c_0123456789abcdef',
    role: 'assistant',
    content: '',
    status: 'pending',
    provider: null,
    createdAt: 'then',
    updatedAt: 'then',
  }
  /** The stream the item is written to: each write recorded (content, status), failing while `down`. */
  const fakeStream = (item: ChatMessage | null = stored) => {
    const writes: string[] = []
    const state = { down: false }
    const stream = {
      get: async () => (item ? { ...item, extra: 'not copied' } : null),
      set: async (_group: string, _id: string, data: ChatMessage) => {
        if (state.down) throw new Error('The client is closed')
        writes.push(`${data.status} "${data.content}" ${data.tokens ?? '-'}`)
        return data
      },
    }
    return { stream: stream as never, writes, state }
  }

  test("loading an answer that was never recorded fails, naming it; a loaded one has only the item's own fields", async () => {
    await expect(AnswerItem.load(fakeStream(null).stream, 'u1', 'nope')).rejects.toThrow('answer item nope of user u1 does not exist')
    const { stream, writes } = fakeStream()
    const item = await AnswerItem.load(stream, 'u1', 't1')
    expect(item.status).toBe('pending')
    expect(item.tokens, 'an item without a token count holds none').toBe(0)
    expect(item.updatedAt).toBe('then')
    await item.fail()
    expect(writes).toEqual(['error "" -'])
  })

  test('tokens are written at most every 250 ms, the last ones by a trailing write; a new attempt and the end are written at once', () =>
    onManualGlobalClock(async (clock) => {
      const { stream, writes } = fakeStream()
      const item = await AnswerItem.load(stream, 'u1', 't1')
      await item.begin('openai')
      expect(writes).toEqual(['streaming "" 0'])
      await clock.advance(250)
      await item.append('a', 0)
      await clock.advance(100)
      await item.append('b', 1)
      await clock.advance(100)
      await item.append('c', 2)
      expect(writes, 'b and c wait for the interval').toEqual(['streaming "" 0', 'streaming "a" 1'])
      expect(clock.pending, 'one trailing write, however many tokens wait').toBe(1)
      await clock.advance(49)
      expect(writes).toHaveLength(2)
      await clock.advance(1)
      expect(writes.at(-1)).toBe('streaming "abc" 3')
      await item.append('d', 3)
      await item.complete('abcd', 'openai', 'stop')
      expect(writes.slice(3), 'the end supersedes the trailing write, which never lands after it').toEqual(['complete "abcd" 4'])
      await clock.advance(1_000)
      expect(writes.at(-1)).toBe('complete "abcd" 4')
    }))

  test('a write of the text so far that fails is skipped; the final write is retried every 250 ms until the store is back', () =>
    onManualGlobalClock(async (clock) => {
      const { stream, writes, state } = fakeStream()
      const item = await AnswerItem.load(stream, 'u1', 't1')
      await item.begin('openai')
      state.down = true
      await clock.advance(250)
      await expect(item.append('a', 0), 'best effort: the answer goes on').resolves.toBeUndefined()
      const final = outcome(item.complete('a', 'openai', 'stop'))
      await clock.advance(10_000)
      expect(final.settled).toBe(false)
      state.down = false
      await clock.advance(250)
      expect(final.settled).toBe(true)
      expect(final.error).toBeUndefined()
      expect(writes).toEqual(['streaming "" 0', 'complete "a" 1'])
    }))

  test('a final write still failing after 30 s is given up with its error (the sweep then ends the answer)', () =>
    onManualGlobalClock(async (clock) => {
      const { stream, state } = fakeStream()
      const item = await AnswerItem.load(stream, 'u1', 't1')
      state.down = true
      const final = outcome(item.fail())
      await clock.advance(30_000)
      expect(final.settled).toBe(false)
      await clock.advance(250)
      expect((final.error as Error | undefined)?.message).toBe('The client is closed')
    }))
})

test.describe("a socket's session expiry", () => {
  const setUp = () => {
    const server = new EventEmitter()
    socketExpiryPlugin({ lockedData: { socketServer: server } } as never)
    const connect = (expiresAt?: number) => {
      const socket = Object.assign(new EventEmitter(), { closed: [] as unknown[] })
      ;(socket as unknown as { close: (...args: unknown[]) => void }).close = (...args) => void socket.closed.push(args)
      server.emit('connection', socket, { authContext: expiresAt === undefined ? undefined : { userId: 'u1', expiresAt } })
      return socket
    }
    return { connect }
  }

  test('a socket is closed with SESSION_EXPIRED_CLOSE_CODE when its session expires, not before', () =>
    onManualGlobalClock(async (clock) => {
      const { connect } = setUp()
      const socket = connect(clock.now + 60_000)
      const late = connect(clock.now - 5)
      await clock.advance(0)
      expect(late.closed, 'a session already over ends the socket at once').toEqual([[SESSION_EXPIRED_CLOSE_CODE, 'session expired']])
      await clock.advance(59_999)
      expect(socket.closed).toEqual([])
      await clock.advance(1)
      expect(socket.closed).toEqual([[SESSION_EXPIRED_CLOSE_CODE, 'session expired']])
    }))

  test('a socket closed earlier leaves no timer; one with no session expiry is never timed', () =>
    onManualGlobalClock(async (clock) => {
      const { connect } = setUp()
      const socket = connect(clock.now + 60_000)
      expect(clock.pending).toBe(1)
      socket.emit('close')
      expect(clock.pending).toBe(0)
      connect(undefined)
      expect(clock.pending).toBe(0)
    }))

  test('without the patched server (no socket server reachable) the plugin refuses to start', () => {
    expect(() => socketExpiryPlugin({ lockedData: {} } as never)).toThrow(/needs the patched server\.mjs/)
  })
})
