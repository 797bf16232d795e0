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

test('a reload continues the same conversation; after "New chat" a reload continues the new one', async ({ chat, fakeLlm, userId }) => {
  for (const reply of ['Noted: 42.', 'It is 42.', 'Fresh start.']) await fakeLlm.script({ userId, provider: 'openai', reply })
  await chat.open()
  await chat.send('Remember 42.')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')

  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.messages).toHaveCount(2)
  await chat.send('What did I ask you to remember?')
  await expect(chat.answers.nth(1)).toHaveAttribute('data-status', 'complete')
  expect((await fakeLlm.requests(userId)).at(-1)?.messages).toEqual([user('Remember 42.'), assistant('Noted: 42.'), user('What did I ask you to remember?')])

  await chat.newChatButton.click()
  await chat.send('Hello again')
  await expect(chat.answers.first()).toHaveAttribute('data-status', 'complete')
  await chat.page.reload()
  await expect(chat.connectionStatus).toHaveAttribute('data-transport', 'websocket')
  await expect(chat.messages).toHaveCount(2)
  await expect(chat.content(chat.messages.first())).toHaveText('Hello again')
  await expect(chat.content(chat.answers.first())).toHaveText('Fresh start.')
})
