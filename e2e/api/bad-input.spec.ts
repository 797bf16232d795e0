import { errorBodySchema, MAX_JSON_DEPTH } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'

const cases: { name: string; body: string; status: number; code: string; contentType?: string }[] = [
  { name: 'malformed JSON', body: '{"message": "hi", ', status: 400, code: 'invalid_json' },
  { name: 'a 200 KB body', body: JSON.stringify({ message: 'x'.repeat(200 * 1024) }), status: 413, code: 'payload_too_large' },
  { name: 'a JSON array', body: JSON.stringify([{ message: 'hi' }]), status: 400, code: 'invalid_request' },
  { name: 'a text/plain body', body: JSON.stringify({ message: 'hi' }), status: 415, code: 'unsupported_media_type', contentType: 'text/plain' },
  { name: 'a form body', body: 'message=hi', status: 415, code: 'unsupported_media_type', contentType: 'application/x-www-form-urlencoded' },
  { name: 'no message', body: JSON.stringify({ stream: true }), status: 400, code: 'invalid_request' },
  { name: 'a blank message', body: JSON.stringify({ message: ' \n\t ' }), status: 400, code: 'invalid_request' },
  { name: 'a message of 8001 characters', body: JSON.stringify({ message: 'y'.repeat(8001) }), status: 400, code: 'invalid_request' },
  { name: 'a message that is a number', body: JSON.stringify({ message: 42 }), status: 400, code: 'invalid_request' },
  { name: 'stream as a string', body: JSON.stringify({ message: 'hi', stream: 'yes' }), status: 400, code: 'invalid_request' },
  { name: 'a conversationId too short', body: JSON.stringify({ message: 'hi', conversationId: 'abc' }), status: 400, code: 'invalid_request' },
  { name: 'a conversationId with a colon', body: JSON.stringify({ message: 'hi', conversationId: 'aaaaaaaaaaaaaaaa:user' }), status: 400, code: 'invalid_request' },
  { name: 'arrays nested 30,000 deep in an ignored field', body: `{"message":"hi","extra":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, status: 400, code: 'invalid_json' },
  { name: 'arrays nested 30,000 deep as the message', body: `{"message":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, status: 400, code: 'invalid_json' },
  { name: 'an object nested 10,000 deep', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, status: 400, code: 'invalid_json' },
  { name: `a body nested ${MAX_JSON_DEPTH + 1} deep, brackets inside its strings not counted`, body: `{"message":"[[{{ ]]","x":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`, status: 400, code: 'invalid_json' },
]

test.describe('bad input gets a clear 4xx JSON error and changes nothing', () => {
  for (const c of cases) {
    test(`rejects ${c.name}`, async ({ backend }) => {
      const response = await backend.postRaw(c.body, { 'content-type': c.contentType ?? 'application/json' })
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
    for (const c of cases) expect((await backend.postRaw(c.body, { 'content-type': c.contentType ?? 'application/json' })).status()).toBeGreaterThanOrEqual(400)
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Only this one.' })
    const { traceId } = await backend.startAnswer('good')
    await witness.finished(traceId)
    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([traceId]))
    const requests = await fakeLlm.requests(userId)
    expect(requests.map((r) => r.prompt)).toEqual(['good'])
  })
})
