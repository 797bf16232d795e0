import { expect, test } from '../../fixtures/test'

const user = (content: string) => ({ role: 'user', content })
const assistant = (content: string) => ({ role: 'assistant', content })

test('the second answer is asked with the first turn; "New chat" empties the page and the history', async ({ chat, fakeLlm, userId }) => {
  for (const reply of ['Hello, Ada.', 'You are Ada.', 'I do not know your name.']) await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open()
  await chat.send('My name is Ada.')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
  await chat.send('What is my name?')
  await expect(chat.answers.nth(1)).toHaveAttribute('data-status', 'complete')
  await expect(chat.content(chat.answers.nth(1))).toHaveText('You are Ada.')
  expect((await fakeLlm.requests(userId)).map((r) => r.messages)).toEqual([
    [user('My name is Ada.')],
    [user('My name is Ada.'), assistant('Hello, Ada.'), user('What is my name?')],
  ])

  await chat.newChatButton.click()
  await expect(chat.messages).toHaveCount(0)
  await chat.send('What is my name?')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
  await expect(chat.messages).toHaveCount(2)
  expect((await fakeLlm.requests(userId)).at(-1)?.messages).toEqual([user('What is my name?')])
})

test('"New chat", then a reload: the page shows the new conversation, and the next answer is asked with it alone', async ({ chat, fakeLlm, userId }) => {
  for (const reply of ['Old answer.', 'New answer.', 'Still new.']) await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open()
  await chat.send('In the old chat')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
  await chat.newChatButton.click()
  await chat.send('In the new chat')
  await expect(chat.content(chat.answers.first())).toHaveText('New answer.')

  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.messages).toHaveCount(2)
  await expect(chat.content(chat.messages.first())).toHaveText('In the new chat')
  await chat.send('Still here?')
  await expect(chat.content(chat.answers.nth(1))).toHaveText('Still new.')
  expect((await fakeLlm.requests(userId)).at(-1)?.messages).toEqual([user('In the new chat'), assistant('New answer.'), user('Still here?')])
})
