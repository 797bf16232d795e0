import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '@chat/protocol'
import { expect, test } from '@playwright/test'
import { limitedResponse } from '../../apps/backend/lib/http/error-response'
import { jsonBodyErrors, jsonPostsOnly } from '../../apps/backend/lib/http/json-body'
import { jsonErrors } from '../../apps/backend/lib/http/json-errors'

// The backend's error handlers, handed the errors Express and body-parser make: every one answers a JSON error body
// of ours (no stack, no server path, no HTML), with a status the caller can act on. The api specs send the requests
// a client can (e2e/api/bad-input.spec.ts, trust/*); these are the shapes no request of the suite produces.

/** Just enough of Express's response for the handlers: what they set, and whether they passed the error on. */
const response = (headersSent = false) => {
  const sent = { status: 0, body: undefined as unknown, passedOn: undefined as unknown }
  const res = {
    headersSent,
    status(code: number) {
      sent.status = code
      return res
    },
    json(body: unknown) {
      sent.body = body
      return res
    },
  }
  const next = (error?: unknown) => void (sent.passedOn = error ?? 'next')
  return { res: res as never, next, sent }
}

const handle = (handler: typeof jsonErrors, error: unknown, headersSent = false) => {
  const { res, next, sent } = response(headersSent)
  // Express logs a 5xx through console.error in jsonErrors; the spec keeps its output quiet and reads what was logged.
  const logged: unknown[][] = []
  const original = console.error
  console.error = (...args: unknown[]) => void logged.push(args)
  try {
    handler(error as never, {} as never, res, next)
  } finally {
    console.error = original
  }
  return { ...sent, logged }
}

test('the last error handler: a 4xx keeps its status as bad_request, anything else is a 500 internal_error, logged, never described', () => {
  expect(handle(jsonErrors, Object.assign(new Error('URI malformed'), { status: 400 }))).toMatchObject({
    status: 400,
    body: { error: { code: 'bad_request', message: 'The request could not be handled.' } },
    logged: [],
  })
  expect(handle(jsonErrors, { statusCode: 404 })).toMatchObject({ status: 404, body: { error: { code: 'bad_request' } } })
  const crash = handle(jsonErrors, new Error('ENOENT /work/secret/path'))
  expect(crash).toMatchObject({ status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong.' } } })
  expect(JSON.stringify(crash.body)).not.toContain('/work/secret/path')
  expect(crash.logged, 'the cause goes to the log').toHaveLength(1)
  expect(handle(jsonErrors, { status: 503 })).toMatchObject({ status: 503, body: { error: { code: 'internal_error' } } })
  // A status outside HTTP's error range is not echoed.
  expect(handle(jsonErrors, { status: 302 })).toMatchObject({ status: 500, body: { error: { code: 'bad_request' } } })
  expect(handle(jsonErrors, { status: 700 })).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } })
})

test('an error after the response began is passed on (Express closes the connection), never answered twice', () => {
  const error = new Error('late')
  for (const handler of [jsonErrors, jsonBodyErrors]) {
    const sent = handle(handler, error, true)
    expect(sent).toMatchObject({ status: 0, body: undefined, passedOn: error })
  }
})

test("body-parser's errors each become our error: too large, malformed, too deep, another charset or encoding, anything else", () => {
  const cases: [object, number, string, string][] = [
    [{ type: 'entity.too.large', status: 413 }, 413, 'payload_too_large', `The request body must be at most ${MAX_BODY_BYTES} bytes.`],
    [{ type: 'entity.parse.failed', status: 400 }, 400, 'invalid_json', 'The request body is not valid JSON.'],
    [{ type: 'entity.verify.failed', status: 403 }, 400, 'invalid_json', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`],
    [{ type: 'charset.unsupported', status: 415 }, 415, 'unsupported_encoding', 'The request body must be UTF-8 JSON.'],
    [{ type: 'encoding.unsupported', status: 415 }, 415, 'unsupported_encoding', 'The request body must be UTF-8 JSON.'],
    [{ type: 'request.aborted', status: 400 }, 400, 'bad_request', 'The request could not be read.'],
    [{ type: 'stream.not.readable', status: 500 }, 400, 'bad_request', 'The request could not be read.'],
    [{}, 400, 'bad_request', 'The request could not be read.'],
  ]
  for (const [error, status, code, message] of cases) {
    expect(handle(jsonBodyErrors, error), JSON.stringify(error)).toMatchObject({ status, body: { error: { code, message } }, passedOn: undefined })
  }
})

test('a POST must say application/json; other methods pass whatever they say', () => {
  const request = (method: string, json: boolean) => ({ method, is: (type: string) => (json && type === 'application/json' ? type : false) }) as never
  const post = response()
  jsonPostsOnly(request('POST', false), post.res, post.next)
  expect(post.sent).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } }, passedOn: undefined })
  for (const [method, json] of [['POST', true], ['GET', false], ['OPTIONS', false]] as const) {
    const other = response()
    jsonPostsOnly(request(method, json), other.res, other.next)
    expect(other.sent, `${method} ${json ? 'json' : 'other'}`).toMatchObject({ status: 0, passedOn: 'next' })
  }
})

test('a refusal by a limit names the limit in our words, and one we have no words for still reads as a limit', () => {
  expect(limitedResponse({ code: 'rate_limited', retryAfterSeconds: 7 })).toEqual({
    status: 429,
    headers: { 'Retry-After': '7' },
    body: { error: { code: 'rate_limited', message: 'Too many messages in a short time. Try again in 7 s.' } },
  })
  expect(limitedResponse({ code: 'some_new_limit', retryAfterSeconds: 2 }).body).toEqual({
    error: { code: 'some_new_limit', message: 'Over a limit. Try again in 2 s.' },
  })
})
