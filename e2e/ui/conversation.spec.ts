import { newSession } from '../../fixtures/backend/sessions'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'

test('two turns in one conversation; blank input cannot be sent; send comes back after each answer', async ({
  chat,
  fakeLlm,
  userId,
}) => {
  await fakeLlm.script({ userId, provider: 'openai', reply: 'First answer.' })
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Second answer.' })
  await chat.open()
  await expect(chat.sendButton).toBeDisabled()
  await chat.input.fill('   \n  ')
  await expect(chat.sendButton).toBeDisabled()
  await chat.input.press('Enter')
  await expect(chat.messages).toHaveCount(0)

  await chat.input.fill('Question one')
  await chat.input.press('Enter')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answers.first())).toHaveText('First answer.')
  await expect(chat.input).toHaveValue('')

  await chat.send('Question two')
  await expect(chat.answers.nth(1)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answers.nth(1))).toHaveText('Second answer.')
  await expect(chat.messages).toHaveCount(4)
  await expect(chat.messages.nth(0)).toHaveAttribute('data-role', 'user')
  await expect(chat.content(chat.messages.nth(0))).toHaveText('Question one')
  await chat.input.fill('again')
  await expect(chat.sendButton).toBeEnabled()
})

test('Shift+Enter makes a newline instead of sending', async ({ chat, fakeLlm, userId }) => {
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Got both lines.' })
  await chat.open()
  await chat.input.fill('line one')
  await chat.input.press('Shift+Enter')
  await chat.input.pressSequentially('line two')
  await expect(chat.messages).toHaveCount(0)
  await expect(chat.input).toHaveValue('line one\nline two')
  await chat.input.press('Enter')
  await expect(chat.content(chat.messages.first())).toHaveText('line one\nline two')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
})

test('a reload shows the conversation again and continues it, and a duplicated tab watches an answer in progress', async ({
  chat,
  newChat,
  fakeLlm,
  session,
  userId,
}) => {
  // Three page loads and two answers: 15–19 s on a quiet 2-core machine, so the default 30 s leaves too little room.
  test.slow()
  await fakeLlm.script({ userId, provider: 'openai', reply: 'Remembered answer.' })
  await chat.open()
  await chat.send('Remember this')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')

  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.messages).toHaveCount(2)
  await expect(chat.content(chat.messages.nth(0))).toHaveText('Remember this')
  await expect(chat.content(chat.messages.nth(1))).toHaveText('Remembered answer.')

  const reply = numberedReply(12)
  await fakeLlm.script({ userId, provider: 'openai', reply, gated: true })
  const watcher = await newChat(session, { sameBrowser: true, conversation: await chat.keptConversation() })
  await watcher.open()
  const traceId = await chat.sendAndGetTraceId('Watch me stream')
  await fakeLlm.release(userId, 4)
  await expect(watcher.content(watcher.answer(traceId))).toHaveText(reply.split(' ').slice(0, 4).join(' '))
  await fakeLlm.release(userId)
  await expect(watcher.answer(traceId)).toHaveAttribute('data-status', 'complete')
  await expect(watcher.content(watcher.answer(traceId))).toHaveText(reply)
  expect((await fakeLlm.requests(userId)).at(-1)?.messages).toEqual([
    { role: 'user', content: 'Remember this' },
    { role: 'assistant', content: 'Remembered answer.' },
    { role: 'user', content: 'Watch me stream' },
  ])
})

test('two users in two browser contexts at once each see only their own answer', async ({ newChat, fakeLlm }) => {
  const chats = await Promise.all([newSession(), newSession()].map(async (session) => newChat(await session)))
  for (const [i, chat] of chats.entries()) {
    await fakeLlm.script({ userId: chat.userId, provider: 'openai', reply: numberedReply(10, `u${i}x`) })
  }
  await Promise.all(chats.map((chat) => chat.open()))
  await Promise.all(chats.map((chat, i) => chat.send(`I am user ${i}`)))
  for (const [i, chat] of chats.entries()) {
    await expect(chat.answers).toHaveCount(1)
    await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
    await expect(chat.content(chat.answers.first())).toHaveText(numberedReply(10, `u${i}x`))
    await expect(chat.messages).toHaveCount(2)
  }
})
