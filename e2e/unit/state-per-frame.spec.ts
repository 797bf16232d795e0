import { expect, test } from '@playwright/test'
import type { FrameSchedule } from '@chat/client'
import { eventually, startChat, words } from './support/controller-harness'
import { FakeMotia, installWebSocket } from './support/fake-motia'

// The controller against Motia 0.17's real socket server, with the frames driven by the spec.
let fake: FakeMotia
test.beforeAll(async () => {
  installWebSocket()
  fake = await FakeMotia.start()
})
test.afterAll(async () => fake.close())

/** Frames that come only when the spec runs them. */
const manualFrames = () => {
  const pending = new Set<() => void>()
  let waiting: (() => number) | undefined
  const frame: FrameSchedule = (run, changesWaiting) => {
    pending.add(run)
    waiting = changesWaiting
    return () => pending.delete(run)
  }
  const runFrame = () => {
    const due = [...pending]
    pending.clear()
    for (const run of due) run()
  }
  /** How many changes the controller says the next hand-over carries (undefined: it did not say). */
  const changesWaiting = () => waiting?.()
  return { frame, pending, runFrame, changesWaiting }
}

test('a burst of tokens between two frames reaches the listeners once, as the state at that frame', async () => {
  const frames = manualFrames()
  const chat = startChat(fake, {}, { frame: frames.frame })
  await eventually(() => chat.state().transport).toBe('websocket')
  frames.runFrame()
  expect(chat.states.at(-1)?.transport).toBe('websocket')

  const reply = words(40)
  fake.onPost = (context) => fake.streamAnswer(context, reply)
  const heard = chat.states.length
  await chat.controller.send('Many tokens at once')
  const traceId = chat.state().messages.at(-1)?.id ?? ''
  await eventually(() => chat.answer(traceId)?.status).toBe('complete')

  expect(chat.states.length, 'no listener called between frames').toBe(heard)
  expect(frames.pending.size, 'one frame asked for, however many changes came').toBe(1)
  expect(frames.changesWaiting(), 'the frame is told that every token of the burst waits').toBeGreaterThanOrEqual(reply.length)
  frames.runFrame()
  expect(chat.states.length).toBe(heard + 1)
  expect(chat.states.at(-1)).toBe(chat.state())
  expect(chat.answer(traceId)?.content).toBe(reply.join(''))
  frames.runFrame()
  expect(chat.states.length, 'nothing new: no frame asked for').toBe(heard + 1)
  chat.controller.close()
})
