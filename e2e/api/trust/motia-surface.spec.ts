import { connect } from 'node:net'
import { listeners } from '../../../fixtures/stack/processes'
import { redisAddress } from '../../../fixtures/stack/redis-address'
import { BACKEND_URL } from '../../../fixtures/stack/urls'
import { stackServices } from '../../../scripts/stack-services'
import { expect, test } from '../../../fixtures/attack/test'

const NO_STACK = /\bat .+:\d+|\/work\/|node_modules|\.ts\b|<html/i

/** Motia's own routes, open by default: event injection, the workbench's API, analytics. */
const MOTIA_ROUTES: { method: 'GET' | 'POST'; path: string }[] = [
  { method: 'POST', path: '/emit' },
  { method: 'POST', path: '/__motia/flows/chat/config' },
  { method: 'GET', path: '/__motia/step/x' },
  { method: 'GET', path: '/__motia' },
  { method: 'GET', path: '/__motia/cloud/deploy/status/x' },
  { method: 'GET', path: '/motia/analytics/user' },
  { method: 'GET', path: '/motia/analytics/status' },
  { method: 'GET', path: '/flows' },
  { method: 'GET', path: '/' },
]

test.describe("Motia's surface: only the routes the apps use answer", () => {
  test("/emit and the workbench routes are a JSON 404, and /emit cannot rewrite a victim's answer", async ({ backend, fakeLlm, victim, witness, session, request }) => {
    const victimAnswer = await victim.startAnswer()
    await victimAnswer.finishesExactly()
    const before = await (await backend.message(victimAnswer.traceId)).text()

    for (const route of MOTIA_ROUTES) {
      const data = { topic: 'chat.answer.requested', data: { traceId: victimAnswer.traceId, userId: session.userId, message: 'again' }, json: { x: 1 } }
      const response = route.method === 'POST' ? await request.post(`${BACKEND_URL}${route.path}`, { data }) : await request.get(`${BACKEND_URL}${route.path}`)
      expect(response.status(), `${route.method} ${route.path}`).toBe(404)
      const text = await response.text()
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found' } })
      expect(text).not.toMatch(NO_STACK)
    }
    // Nothing re-ran: no second request reached the provider, no new event, the stored answer is byte-identical.
    expect((await fakeLlm.requests(session.userId)).length).toBe(1)
    expect(witness.events().filter((e) => e.type === 'complete')).toHaveLength(1)
    expect(await (await backend.message(victimAnswer.traceId)).text()).toBe(before)
  })

  test('a malformed percent-encoding is a JSON 400 without a stack trace', async ({ request, session }) => {
    for (const path of ['/api/chat/messages/%E0%A4%A', '/api/chat/messages/%', '/%FF/x']) {
      const response = await request.get(`${BACKEND_URL}${path}`, { headers: { authorization: `Bearer ${session.token}` } })
      expect(response.status(), path).toBe(400)
      expect(response.headers()['content-type']).toContain('application/json')
      const text = await response.text()
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_path' } })
      expect(text).not.toMatch(NO_STACK)
    }
  })

  test('every service of the stack listens on loopback only', async () => {
    for (const { port } of stackServices(process.env, '')) {
      const bound = listeners(port).map((l) => l.address)
      expect(bound.length, `something listens on ${port}`).toBeGreaterThan(0)
      expect(bound.every((address) => address === '127.0.0.1' || address === '[::1]'), `${port} listens on ${bound.join(', ')}`).toBe(true)
    }
  })

  test('Redis takes no command without its password', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const { host, port } = redisAddress()
      const socket = connect(port, host, () => socket.write('KEYS *\r\n'))
      socket.once('data', (data) => {
        resolve(data.toString())
        socket.destroy()
      })
      socket.once('error', reject)
    })
    expect(reply).toMatch(/^-NOAUTH/)
  })
})
