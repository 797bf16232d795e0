import { expect, test } from '../../fixtures/test'
import type { ChatPage } from '../../fixtures/ui/chat-page'
import { distinctTexts } from '../../fixtures/ui/samples-assertions'
import { firstTokens, numberedReply } from '../../fixtures/replies'

const TOKENS = 60
const TABS = 2
/** Tokens released before each tab opens, so each one joins at a later point of the answer. */
const STEP = 8
/** The provider gives up on a stream silent for 3 s: while a tab loads, a token comes this often. */
const KEEP_ALIVE_MS = 1_000

test('tabs opened at spread points of an answer in progress each end with the exact text, showing only prefixes of it, and growing token by token after their join', async ({
  chat,
  fakeLlm,
  newChat,
  session,
  userId,
  witness,
}) => {
  const reply = numberedReply(TOKENS)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true, tokenDelayMs: 20 })
  await chat.open()
  const traceId = await chat.sendAndGetTraceId('An answer for many tabs')
  const conversation = await chat.keptConversation()

  let released = 0
  const release = (count: number) => {
    released += count
    return fakeLlm.release(userId, count)
  }
  // Never the last tokens: the answer is still in progress when the last tab joins.
  const keepAlive = setInterval(() => {
    if (released < TOKENS - 2 * STEP) release(1).catch(() => undefined)
  }, KEEP_ALIVE_MS)
  const tabs: { tab: ChatPage; joinedAt: number }[] = []
  try {
    for (let i = 0; i < TABS; i++) {
      await release(STEP)
      // Each tab joins once the sender shows what was released for it: a known point of the answer.
      await expect(chat.content(chat.answer(traceId))).toContainText(firstTokens(reply, released))
      // The same person's browser, the same conversation (a duplicated tab).
      const tab = await newChat(session, { sameBrowser: true, conversation })
      await tab.open()
      await expect(tab.answer(traceId), `tab ${i + 1} joined while the answer is in progress`).toHaveAttribute('data-status', 'streaming')
      tabs.push({ tab, joinedAt: released })
    }
  } finally {
    clearInterval(keepAlive)
  }
  await fakeLlm.release(userId)
  const done = await witness.finished(traceId)
  expect(done.event).toMatchObject({ type: 'complete', data: { content: reply } })

  for (const [i, tab] of [chat, ...tabs.map(({ tab }) => tab)].entries()) {
    const answer = tab.answer(traceId)
    await expect(answer).toHaveAttribute('data-status', 'complete')
    await expect(tab.content(answer)).toHaveText(reply)
    for (const { text } of await tab.samples(traceId)) expect(reply.startsWith(text), `tab ${i}: "${text.slice(-30)}" is a prefix`).toBe(true)
  }
  // A late tab goes on from the tokens its sync holds: after its join it shows texts no item write held (made of
  // live tokens), not only each write of the item (4 a second).
  const written = new Set(witness.versionsOf(traceId).map(({ item }) => item.content))
  for (const [i, { tab, joinedAt }] of tabs.entries()) {
    const live = distinctTexts(await tab.samples(traceId)).filter((text) => text.length > firstTokens(reply, joinedAt).length && !written.has(text))
    expect(live.length, `tab ${i + 1}: texts made of live tokens after its join`).toBeGreaterThanOrEqual(3)
  }
})
