import { errorBodySchema, streamAcceptedSchema } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'

const oversized = (userId: string) => JSON.stringify({ message: 'x'.repeat(200 * 1024), userId })

const cases: { name: string; body: (userId: string) => string; status: number; code: string; contentType?: string }[] = [
  { name: 'malformed JSON', body: () => '{"message": "hi", ', status: 400, code: 'invalid_json' },
  { name: 'a 200 KB body', body: oversized, status: 413, code: 'payload_too_large' },
  { name: 'a JSON array', body: (userId) => JSON.stringify([{ message: 'hi', userId }]), status: 400, code: 'invalid_request' },
  { name: 'a text/plain body', body: () => 'hello', status: 400, code: 'invalid_json', contentType: 'text/plain' },
  { name: 'no message', body: (userId) => JSON.stringify({ userId }), status: 400, code: 'invalid_request' },
  { name: 'a blank message', body: (userId) => JSON.stringify({ message: ' \n\t ', userId }), status: 400, code: 'invalid_request' },
  { name: 'a message of 8001 characters', body: (userId) => JSON.stringify({ message: 'y'.repeat(8001), userId }), status: 400, code: 'invalid_request' },
  { name: 'a message that is a number', body: (userId) => JSON.stringify({ message: 42, userId }), status: 400, code: 'invalid_request' },
  { name: 'no userId', body: () => JSON.stringify({ message: 'hi' }), status: 400, code: 'invalid_request' },
  { name: 'a userId with a space', body: (userId) => JSON.stringify({ message: 'hi', userId: `${userId} x` }), status: 400, code: 'invalid_request' },
  { name: 'a userId of 65 characters', body: () => JSON.stringify({ message: 'hi', userId: 'u'.repeat(65) }), status: 400, code: 'invalid_request' },
  { name: 'stream as a string', body: (userId) => JSON.stringify({ message: 'hi', userId, stream: 'yes' }), status: 400, code: 'invalid_request' },
]

test.describe('bad input gets a clear 4xx JSON error and changes nothing', () => {
  for (const c of cases) {
    test(`rejects ${c.name}`, async ({ backend, userId }) => {
      const response = await backend.postRaw(c.body(userId), { 'content-type': c.contentType ?? 'application/json' })
      expect(response.status()).toBe(c.status)
      expect(response.headers()['content-type']).toContain('application/json')
      const text = await response.text()
      expect(errorBodySchema.parse(JSON.parse(text)).error.code).toBe(c.code)
      expect(text, 'no stack trace or server path in an error body').not.toMatch(/\bat .+:\d+|\/work\/|node_modules|\.ts\b/)
    })
  }

  test('after every kind of bad request, the first thing published is the next good answer', async ({
    backend,
    fakeLlm,
    witness,
    userId,
  }) => {
    for (const c of cases) expect((await backend.postRaw(c.body(userId))).status()).toBeGreaterThanOrEqual(400)
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Only this one.' })
    const { traceId } = streamAcceptedSchema.parse(await (await backend.postChat({ message: 'good', userId })).json())
    await witness.finished(traceId)
    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([traceId]))
    const requests = await fakeLlm.requests(userId)
    expect(requests.map((r) => r.prompt)).toEqual(['good'])
  })
})
