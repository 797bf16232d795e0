import { expect, test } from '../../fixtures/test'
import { BACKEND_URL } from '../../fixtures/stack/urls'

const FRONTEND_ORIGINS = ['http://localhost:3001', 'http://localhost:5173', 'http://localhost:5174', 'http://localhost:5175']

test('CORS admits the four frontend origins and no other', async ({ request }) => {
  for (const origin of FRONTEND_ORIGINS) {
    const preflight = await request.fetch(`${BACKEND_URL}/api/chat/stream`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status()).toBe(204)
    expect(preflight.headers()['access-control-allow-origin']).toBe(origin)
    const get = await request.get(`${BACKEND_URL}/api/health`, { headers: { origin } })
    expect(get.headers()['access-control-allow-origin']).toBe(origin)
  }
  const foreign = await request.get(`${BACKEND_URL}/api/health`, { headers: { origin: 'http://evil.example' } })
  expect(foreign.headers()['access-control-allow-origin']).toBeUndefined()
})
