import { expect, test } from '@playwright/test'
import { normalizeBaseUrl, toWsUrl } from '../../packages/chat-client/src/ws-url'

// The backend's address as an app configures it (absolute, relative to the page, or empty for the page's own origin)
// and the socket address the client derives from it. In a page, a relative base resolves against the page's address;
// here the page's `location` is set for the test and removed after it.
const onPage = <T>(href: string, run: () => T): T => {
  const global = globalThis as { location?: { href: string } }
  const before = global.location
  global.location = { href }
  try {
    return run()
  } finally {
    if (before === undefined) delete global.location
    else global.location = before
  }
}

test('an absolute base is kept as it is, without its trailing slashes, page or no page', () => {
  expect(normalizeBaseUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000')
  expect(normalizeBaseUrl('https://chat.example//')).toBe('https://chat.example')
  expect(onPage('https://app.example/chat/', () => normalizeBaseUrl('HTTP://api.example/v1/'))).toBe('HTTP://api.example/v1')
})

test("a relative or empty base is the page's own origin (or a path of it)", () => {
  expect(onPage('https://app.example/chat/room?x=1', () => normalizeBaseUrl(''))).toBe('https://app.example')
  expect(onPage('https://app.example/chat/room', () => normalizeBaseUrl('/backend/'))).toBe('https://app.example/backend')
  expect(onPage('https://app.example/chat/room', () => normalizeBaseUrl('api'))).toBe('https://app.example/chat/api')
})

test('without a page (Node, a worker without location) a relative base is left as it is', () => {
  expect(normalizeBaseUrl('/backend/')).toBe('/backend')
})

test("the socket address: ws for http, wss for https, the stream and the user's group in the path", () => {
  expect(toWsUrl('http://127.0.0.1:3000/', 'u_1')).toBe('ws://127.0.0.1:3000/streams/chat-messages/user:u_1')
  expect(toWsUrl('https://chat.example', 'u_2')).toBe('wss://chat.example/streams/chat-messages/user:u_2')
  expect(onPage('https://app.example/chat/', () => toWsUrl('', 'u_3'))).toBe('wss://app.example/streams/chat-messages/user:u_3')
  // A scheme is case-insensitive: an upper-case one is still turned into the socket's.
  expect(toWsUrl('HTTPS://chat.example', 'u_4')).toMatch(/^wss:\/\/chat\.example\/streams\//i)
})
