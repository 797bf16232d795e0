import { API_ROUTES } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { APP_NAMES, appOrigin } from '@chat/apps'
import { BACKEND_URL } from '../../fixtures/stack/urls'

const accessControlHeaders = (headers: Record<string, string>) => Object.keys(headers).filter((name) => name.startsWith('access-control-'))

test("CORS admits every registered app's origin, for what the apps send and nothing more", async ({ request }) => {
  for (const origin of APP_NAMES.map(appOrigin)) {
    const preflight = await request.fetch(`${BACKEND_URL}${API_ROUTES.chatStream.path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    expect(preflight.status()).toBe(204)
    expect(preflight.headers()).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
    })
    expect(preflight.headers()['access-control-allow-credentials']).toBeUndefined()
    const get = await request.get(`${BACKEND_URL}${API_ROUTES.health.path}`, { headers: { origin } })
    expect(get.headers()['access-control-allow-origin']).toBe(origin)
    expect(get.headers()['access-control-expose-headers'], 'a page can read when to try again after a 503').toBe('Retry-After')
  }
})

test('a foreign origin gets no Access-Control header at all, on a preflight or an answer', async ({ request }) => {
  const origin = 'http://evil.example'
  const preflight = await request.fetch(`${BACKEND_URL}${API_ROUTES.chatStream.path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type', 'access-control-request-private-network': 'true' },
  })
  expect(accessControlHeaders(preflight.headers())).toEqual([])
  const get = await request.get(`${BACKEND_URL}${API_ROUTES.health.path}`, { headers: { origin } })
  expect(accessControlHeaders(get.headers())).toEqual([])
})
