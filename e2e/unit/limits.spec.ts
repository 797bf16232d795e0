import { chatReducer, emptyModel, errorNoticeText, type ChatAction, type ChatModel } from '@chat/client'
import { ERROR_CODES } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { eventually, startChat, words } from './support/controller-harness'
import { FakeMotia, installWebSocket } from './support/fake-motia'

// Every refusal that makes the chat wait — a busy instance (`503 busy`) and the per-user limits (`429`), each with
// `Retry-After` (seconds) — is shown in our words, naming when to try again, and neither Retry nor sending is
// offered before then.
const LIMITS = [
  {
    status: 503,
    code: ERROR_CODES.busy,
    retryAfter: 7,
    waiting: (left: string) => `The chat is busy right now. Try again in ${left}.`,
    over: 'The chat was busy. Try again now.',
    notSent: 'Not sent: the chat was busy.',
  },
  {
    status: 429,
    code: ERROR_CODES.rateLimited,
    retryAfter: 4,
    waiting: (left: string) => `You're sending messages faster than the chat allows. Try again in ${left}.`,
    over: 'You were sending messages faster than the chat allows. Try again now.',
    notSent: 'Not sent: too many messages in a short time.',
  },
  {
    status: 429,
    code: ERROR_CODES.tooManyInFlight,
    retryAfter: 3,
    waiting: (left: string) => `Wait for an answer to finish: you have as many answers in progress as the chat allows. Try again in ${left}.`,
    over: 'You had as many answers in progress as the chat allows. Try again now.',
    notSent: 'Not sent: too many answers in progress.',
  },
  {
    status: 429,
    code: ERROR_CODES.budgetExhausted,
    retryAfter: 40,
    waiting: (left: string) => `You've used today's answer allowance. Try again in ${left}.`,
    over: "Today's answer allowance has renewed. Try again now.",
    notSent: "Not sent: today's answer allowance is used up.",
  },
] as const
const budget = LIMITS[3]

const ANSWER = 'A1'
const refused = (code: string, waitSeconds: number): ChatAction[] => [
  { type: 'user_sent', answerId: ANSWER, text: 'One more?' },
  { type: 'post_failed', answerId: ANSWER, text: 'One more?', error: { code, message: 'server words, not for users' }, waitSeconds },
]
const run = (...actions: ChatAction[]): ChatModel => actions.reduce(chatReducer, emptyModel())

for (const limit of LIMITS) {
  test(`reducer, ${limit.status} ${limit.code}: our words with the wait left, the question marked not sent, Retry only once the wait is over`, () => {
    const waiting = run(...refused(limit.code, limit.retryAfter))
    expect(waiting.error).toEqual({ code: limit.code, message: limit.waiting(`${limit.retryAfter} s`), retryMessage: 'One more?', canRetry: false })
    expect(waiting.messages).toMatchObject([{ role: 'user', content: 'One more?', status: 'error', traceId: null, error: { code: limit.code, message: limit.notSent } }])
    expect(JSON.stringify(waiting)).not.toContain('server words')
    expect(chatReducer(waiting, { type: 'wait_left', seconds: 1 }).error).toMatchObject({ message: limit.waiting('1 s'), canRetry: false })
    expect(chatReducer(waiting, { type: 'wait_left', seconds: 0 }).error).toMatchObject({ code: limit.code, message: limit.over, canRetry: true })
  })
}

test('reducer: a wait whose words do not change leaves the model as it is (an hour-long wait repaints once a minute, not every second)', () => {
  const waiting = run(...refused(ERROR_CODES.budgetExhausted, 3 * 3600))
  const minuteLeft = chatReducer(waiting, { type: 'wait_left', seconds: 3 * 3600 - 1 })
  expect(minuteLeft).toBe(waiting)
  expect(chatReducer(waiting, { type: 'wait_left', seconds: 3 * 3600 - 60 }).error?.message).toBe(budget.waiting('2 h 59 min'))
})

test('reducer: a refusal that asks for no wait (an error of no limit) is told in our words for its code and offers Retry at once', () => {
  const failed = run(...refused('all_providers_failed', 0))
  expect(failed.error).toEqual({ code: 'all_providers_failed', message: errorNoticeText('all_providers_failed'), retryMessage: 'One more?', canRetry: true })
  expect(chatReducer(failed, { type: 'wait_left', seconds: 0 })).toBe(failed)
})

test.describe('controller', () => {
  // The controller against the fake backend (the real Motia socket server), its timers on a manual clock.
  let fake: FakeMotia
  test.beforeAll(async () => {
    installWebSocket()
    fake = await FakeMotia.start()
  })
  test.afterAll(async () => fake.close())
  test.beforeEach(() => fake.reset())

  for (const limit of LIMITS) {
    test(`${limit.status} ${limit.code} (Retry-After: ${limit.retryAfter}): our words name the wait, nothing is sent before it passed, Retry and sending work after`, async () => {
      const chat = startChat(fake)
      await eventually(() => chat.state().transport).toBe('websocket')
      const serverWords = `${limit.code}: the server's words, not for the user`
      fake.failNextPost = { status: limit.status, headers: { 'retry-after': String(limit.retryAfter) }, body: { error: { code: limit.code, message: serverWords } } }
      await chat.controller.send('One more?')
      expect(chat.state().error).toEqual({ code: limit.code, message: limit.waiting(`${limit.retryAfter} s`), retryMessage: 'One more?', canRetry: false })
      expect(chat.state().messages).toMatchObject([{ role: 'user', content: 'One more?', status: 'error', error: { code: limit.code, message: limit.notSent } }])
      expect(JSON.stringify(chat.state())).not.toContain(serverWords)
      expect(chat.state().canSend).toBe(false)

      const posts = fake.postedAnswerIds.length
      chat.clock.advance(limit.retryAfter * 1000 - 1)
      await chat.controller.retry()
      await chat.controller.send('Now?')
      expect(fake.postedAnswerIds.length, `nothing sent before the ${limit.retryAfter} s passed`).toBe(posts)
      expect(chat.state().error).toMatchObject({ message: limit.waiting('1 s'), canRetry: false })
      expect(chat.state().canSend).toBe(false)

      chat.clock.advance(1)
      expect(chat.state().error).toMatchObject({ code: limit.code, message: limit.over, canRetry: true })
      expect(chat.state().canSend).toBe(true)
      expect(chat.clock.pending, 'the wait left no timer behind').toBe(0)
      fake.onPost = (context) => fake.streamAnswer(context, words(3, 'ok'))
      await chat.controller.retry()
      await eventually(() => chat.state().messages.at(-1)?.status).toBe('complete')
      expect(chat.state().error).toBeNull()
      await chat.controller.send('And now?')
      await eventually(() => chat.state().messages.at(-1)?.status).toBe('complete')
      expect(chat.state().messages.map((m) => [m.role, m.content, m.status])).toEqual([
        ['user', 'One more?', 'complete'],
        ['assistant', 'ok1 ok2 ok3', 'complete'],
        ['user', 'And now?', 'complete'],
        ['assistant', 'ok1 ok2 ok3', 'complete'],
      ])
      chat.controller.close()
    })
  }

  test("429 budget_exhausted for 5 h 12 min: shown in hours and minutes, held past a busy wait's 60 s to the end, repainted as its words change", async () => {
    const chat = startChat(fake)
    await eventually(() => chat.state().transport).toBe('websocket')
    const retryAfter = 5 * 3600 + 12 * 60
    fake.failNextPost = { status: budget.status, headers: { 'retry-after': String(retryAfter) }, body: { error: { code: ERROR_CODES.budgetExhausted, message: 'spent' } } }
    await chat.controller.send('More?')
    expect(chat.state().error).toMatchObject({ message: budget.waiting('5 h 12 min'), canRetry: false })

    const states = chat.states.length
    chat.clock.advance(61_000)
    expect(chat.state().error).toMatchObject({ message: budget.waiting('5 h 11 min'), canRetry: false })
    expect(chat.state().canSend, 'still held after 61 s: the server would refuse again').toBe(false)
    expect(chat.states.length - states, 'one repaint: the words changed once').toBe(1)

    const posts = fake.postedAnswerIds.length
    chat.clock.advance((retryAfter - 61 - 90) * 1000)
    expect(chat.state().error).toMatchObject({ message: budget.waiting('2 min'), canRetry: false })
    chat.clock.advance(31_000)
    expect(chat.state().error).toMatchObject({ message: budget.waiting('59 s'), canRetry: false })
    await chat.controller.retry()
    expect(fake.postedAnswerIds.length).toBe(posts)
    chat.clock.advance(59_000)
    expect(chat.state().error).toMatchObject({ message: budget.over, canRetry: true })
    expect(chat.state().canSend).toBe(true)
    expect(chat.clock.pending).toBe(0)
    chat.controller.close()
  })
})
