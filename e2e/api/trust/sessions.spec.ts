import { API_ROUTES, chatMessagePath } from '@chat/protocol'
import { forgedTokens } from '../../../fixtures/attack/forged-tokens'
import { HostileSocket } from '../../../fixtures/attack/hostile-socket'
import { expect, test } from '../../../fixtures/attack/test'
import { expectNothingOf } from '../../../fixtures/attack/victim'
import { BACKEND_URL } from '../../../fixtures/stack/urls'

const NO_STACK = /\bat .+:\d+|\/work\/|node_modules|\.ts\b/

test.describe('a session is the only key to a chat', () => {
  test('the backend chooses the user: a userId asked for is ignored, and a held session is renewed for the same user', async ({ request, session }) => {
    const asked = await request.post(`${BACKEND_URL}${API_ROUTES.session.path}`, { data: { userId: session.userId } })
    expect(asked.status()).toBe(201)
    const made = (await asked.json()) as { userId: string; token: string }
    expect(made.userId).not.toBe(session.userId)

    const renewed = await request.post(`${BACKEND_URL}${API_ROUTES.session.path}`, { data: {}, headers: { authorization: `Bearer ${session.token}` } })
    expect(((await renewed.json()) as { userId: string }).userId).toBe(session.userId)
  })

  test('no token, an expired, a forged, an unsigned or a re-signed one: every chat path answers 401 and gives nothing', async ({
    attacker,
    backend,
    fakeLlm,
    victim,
    witness,
    session,
  }) => {
    const victimAnswer = await victim.startAnswer()
    const tokens: Record<string, string | null> = { none: null, ...(await forgedTokens(session, attacker.session)) }
    for (const [name, token] of Object.entries(tokens)) {
      const as = backend.as(token)
      const post = await as.postChat({ message: 'let me in', userId: session.userId })
      expect(post.status(), `POST with ${name}`).toBe(401)
      const postBody = await post.text()
      expect(JSON.parse(postBody)).toMatchObject({ error: { code: 'unauthorized' } })
      expect(postBody).not.toMatch(NO_STACK)

      const poll = await as.message(victimAnswer.traceId)
      expect(poll.status(), `GET with ${name}`).toBe(401)
      expectNothingOf(await poll.text(), session, victimAnswer)

      expect(await HostileSocket.upgradeStatus({ token: token ?? undefined }), `socket with ${name}`).toBe(401)
    }
    expect((await fakeLlm.requests(session.userId)).map((r) => r.prompt)).toEqual(['my private question'])
    await victimAnswer.finishesExactly()
    expect(new Set(witness.events().map((e) => e.data.traceId))).toEqual(new Set([victimAnswer.traceId]))
  })

  test("a userId in the body names no one: the answer goes to the token's user, the victim gets nothing", async ({ attacker, fakeLlm, witness, session }) => {
    const { userId } = attacker.session
    await fakeLlm.script({ userId, provider: 'openai', reply: 'Posted as myself.' })
    const posted = await attacker.backend.postChat({ message: 'post as the victim', userId: session.userId })
    expect(posted.status()).toBe(202)
    expect(await posted.json()).toMatchObject({ groupId: `user:${userId}` })
    await expect.poll(async () => (await fakeLlm.requests(userId)).map((r) => r.outcome)).toEqual(['complete'])
    expect(await fakeLlm.requests(session.userId)).toEqual([])
    expect(witness.received).toEqual([])
  })

  test("polling another user's answer, with or without their userId, is the same 404 as an answer that never was", async ({
    attacker: { session: attacker },
    victim,
    session,
    request,
  }) => {
    const victimAnswer = await victim.startAnswer()
    const get = (path: string, token: string | null) =>
      request.get(`${BACKEND_URL}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    const never = await (await get(chatMessagePath('no-such-trace'), attacker.token)).json()
    for (const id of [victimAnswer.traceId, `${victimAnswer.traceId}:user`]) {
      for (const query of ['', `?userId=${session.userId}`]) {
        const stolen = await get(`${chatMessagePath(id)}${query}`, attacker.token)
        expect(stolen.status(), `${id}${query} with the attacker's session`).toBe(404)
        expect(await stolen.json()).toEqual(never)
        const anonymous = await get(`${chatMessagePath(id)}${query}`, null)
        expect(anonymous.status(), `${id}${query} without a session`).toBe(401)
        expectNothingOf(await anonymous.text(), session, victimAnswer)
      }
    }
    await victimAnswer.finishesExactly()
  })
})
