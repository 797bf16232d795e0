import { MAX_JSON_DEPTH } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { admitAnswer, answerDone } from '../../apps/backend/lib/answer-admission'
import { clientAddress } from '../../apps/backend/lib/http/client-address'
import { nestsDeeperThan } from '../../apps/backend/lib/http/json-depth'
import { limitSettings } from '../../apps/backend/lib/limits/limit-settings'
import { readMessage } from '../../apps/backend/lib/read-message'

// The backend's small request helpers, each on its own: what reaches them through the stack is proven by the api
// specs; here are the cases a client of the stack cannot easily make (a peer address, a configuration, a body shape).
const bytes = (text: string) => new TextEncoder().encode(text)
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

test(`JSON nesting is counted over arrays and objects alike, up to the limit (${MAX_JSON_DEPTH}) and not one past it`, () => {
  expect(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false)
  expect(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true)
  expect(nestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false)
  expect(nestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true)
  // Depth goes down again as brackets close: many shallow siblings are not deep.
  expect(nestsDeeperThan(bytes(`[${Array.from({ length: 100 }, () => '[[1]]').join(',')}]`), 3)).toBe(false)
})

test('brackets inside strings do not count, nor do escaped quotes end the string', () => {
  expect(nestsDeeperThan(bytes(JSON.stringify({ message: '[[[[[[[[{{{{{{' })), 2)).toBe(false)
  // `\"` inside the string: were it taken for the string's end, the brackets after it would count.
  expect(nestsDeeperThan(bytes(JSON.stringify({ message: 'say \\"[[[[[[' })), 2)).toBe(false)
  expect(nestsDeeperThan(bytes(JSON.stringify({ message: 'a quote " then [[[[[[' })), 2)).toBe(false)
  // A backslash ending the string's content (`"\\"`) escapes only itself: the brackets after the string count again.
  expect(nestsDeeperThan(bytes(`{"a":"\\\\","b":[[[1]]]}`), 3)).toBe(true)
})

test("the client's address: the peer's own, unless the peer is a trusted proxy, whose last X-Forwarded-For entry names it", () => {
  const proxies = ['127.0.0.1']
  expect(clientAddress({ headers: {}, remoteAddress: '203.0.113.9' }, proxies)).toBe('203.0.113.9')
  // An untrusted peer's X-Forwarded-For is its own claim: ignored.
  expect(clientAddress({ headers: { 'x-forwarded-for': '198.51.100.1' }, remoteAddress: '203.0.113.9' }, proxies)).toBe('203.0.113.9')
  // Through the balancer: its entry is the last one; what the client wrote before it is not believed.
  expect(clientAddress({ headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.7' }, remoteAddress: '127.0.0.1' }, proxies)).toBe('198.51.100.7')
  expect(clientAddress({ headers: { 'x-forwarded-for': ['198.51.100.8', '10.0.0.1'] }, remoteAddress: '127.0.0.1' }, proxies)).toBe('198.51.100.8')
  // IPv4 seen over an IPv6 socket is the same address.
  expect(clientAddress({ headers: {}, remoteAddress: '::ffff:203.0.113.9' }, proxies)).toBe('203.0.113.9')
  expect(clientAddress({ headers: { 'x-forwarded-for': '::ffff:198.51.100.7' }, remoteAddress: '::ffff:127.0.0.1' }, proxies)).toBe('198.51.100.7')
  expect(clientAddress({ headers: {}, remoteAddress: '2001:db8::1' }, proxies)).toBe('2001:db8::1')
  // The proxy named no client (no header, or an empty one): the proxy's own address, never an empty one.
  expect(clientAddress({ headers: {}, remoteAddress: '127.0.0.1' }, proxies)).toBe('127.0.0.1')
  expect(clientAddress({ headers: { 'x-forwarded-for': ' , ' }, remoteAddress: '127.0.0.1' }, proxies)).toBe('127.0.0.1')
  // No peer address at all (a transport without one): one shared name, never undefined.
  expect(clientAddress({ headers: {} }, proxies)).toBe('unknown')
})

test('limits: the defaults where the environment is silent, its values where it speaks, a readable error on a bad one', () => {
  expect(limitSettings({})).toEqual({
    answersBurst: { points: 20, seconds: 60 },
    answersSustained: { points: 200, seconds: 3600 },
    answersInFlight: 4,
    tokenBudget: { points: 200000, seconds: 86400 },
    newSessionsPerAddress: { points: 30, seconds: 60 },
  })
  expect(limitSettings({ RATE_ANSWERS_BURST: ' 12 / 15 ', ANSWERS_IN_FLIGHT_PER_USER: '2', TOKEN_BUDGET_PER_USER: '2000/8' })).toMatchObject({
    answersBurst: { points: 12, seconds: 15 },
    answersInFlight: 2,
    tokenBudget: { points: 2000, seconds: 8 },
  })
  expect(() => limitSettings({ RATE_ANSWERS_BURST: '20 per minute' })).toThrow(/^Invalid limits:[\s\S]*<points>\/<seconds>[\s\S]*at RATE_ANSWERS_BURST/)
  expect(() => limitSettings({ RATE_NEW_SESSIONS_PER_ADDRESS: '0/60' })).toThrow(/RATE_NEW_SESSIONS_PER_ADDRESS/)
  expect(() => limitSettings({ ANSWERS_IN_FLIGHT_PER_USER: '0' })).toThrow(/ANSWERS_IN_FLIGHT_PER_USER/)
})

test("reading a message: 401 without a user, 404 for one not in the user's group, the item otherwise", async () => {
  const item = { id: 't1', content: 'hi' }
  const asked: string[] = []
  const read = async (groupId: string, id: string) => (asked.push(`${groupId}/${id}`), groupId === 'user:u1' && id === 't1' ? (item as never) : null)
  expect(await readMessage(read, 't1', null)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } })
  expect(asked, 'nothing is read without a user').toEqual([])
  expect(await readMessage(read, 't1', 'u2')).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'No such message.' } } })
  expect(await readMessage(read, 't1', 'u1')).toEqual({ status: 200, body: item })
  expect(asked).toEqual(['user:u2/t1', 'user:u1/t1'])
})

test('admission per instance: up to the bound, a re-sent answer takes no second place, a place freed by either end', () => {
  const key = (n: number) => `admission-spec/${n}`
  const releases = [admitAnswer(key(1), 2), admitAnswer(key(2), 2)]
  expect(releases.every((release) => typeof release === 'function')).toBe(true)
  expect(admitAnswer(key(3), 2), 'the bound is reached').toBeNull()
  // The same answer again (a re-sent POST): admitted, but its release gives back nothing it did not take.
  const again = admitAnswer(key(1), 2)
  expect(again).not.toBeNull()
  again!()
  expect(admitAnswer(key(3), 2), 'the re-send released nothing').toBeNull()
  // A request that ended without recording its answer gives its place back…
  releases[0]!()
  const third = admitAnswer(key(3), 2)
  expect(third).not.toBeNull()
  // …and so does a generation that ends.
  answerDone(key(2))
  answerDone(key(3))
  expect(admitAnswer(key(4), 1)).not.toBeNull()
  answerDone(key(4))
})
