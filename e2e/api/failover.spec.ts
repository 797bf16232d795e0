import type { ChatEvent } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { FAILOVER_CASES } from '../../fixtures/failover-cases'
import { firstTokens, numberedReply } from '../../fixtures/replies'
import { FIRST_TOKEN_TIMEOUT_MS } from '../../fixtures/stack/provider-bounds'

// The timeout case has a test of its own below: it waits the first-token bound out, and proves when the switch came.
const failures = FAILOVER_CASES.filter((failure) => failure.reason !== 'timeout')

/** How many of the second provider's tokens go out before it holds, so the item can be read mid-answer. */
const HELD_AFTER = 3

const shape = (e: ChatEvent) => (e.type === 'token' ? `token:${e.data.provider}:${e.data.seq}` : e.type)

test.describe('provider failover, as the stream shows it', () => {
  for (const failure of failures) {
    test(`${failure.kind} after ${failure.afterTokens} tokens: first provider's tokens, one switch, tokens from seq 0, one complete; while the second streams, the item holds its text alone`, async ({
      backend,
      fakeLlm,
      witness,
      userId,
    }) => {
      const first = numberedReply(8, 'o')
      const second = numberedReply(6, 'a')
      await fakeLlm.script({ userId, provider: 'openai', reply: first, failure: { kind: failure.kind, afterTokens: failure.afterTokens } })
      // Gated with credit for its first tokens only: anthropic streams those at once after the switch, then holds.
      await fakeLlm.script({ userId, provider: 'anthropic', reply: second, gated: true })
      await fakeLlm.release(userId, HELD_AFTER)

      const { traceId } = await backend.startAnswer(`fail with ${failure.kind}`)
      await witness.waitFor((all) =>
        all.find((r) => r.event.type === 'token' && r.event.data.traceId === traceId && r.event.data.provider === 'anthropic' && r.event.data.seq === HELD_AFTER - 1),
      )
      // Once the item has caught up with the tokens sent (its writes are throttled), it is anthropic's answer so far:
      // nothing left of openai's partial text, and the provider it names is the one streaming.
      const soFar = firstTokens(second, HELD_AFTER)
      await expect.poll(async () => (await backend.storedMessage(traceId)).content, 'the item caught up with the tokens sent').toMatch(new RegExp(`${soFar}$`))
      expect(await backend.storedMessage(traceId), 'the item while anthropic streams').toMatchObject({ status: 'streaming', provider: 'anthropic', content: soFar })

      await fakeLlm.release(userId)
      const done = await witness.finished(traceId)
      const events = witness.events(traceId)
      expect(events.map(shape)).toEqual([
        ...Array.from({ length: failure.afterTokens }, (_, i) => `token:openai:${i}`),
        'provider_switch',
        ...Array.from({ length: 6 }, (_, i) => `token:anthropic:${i}`),
        'complete',
      ])
      expect(events.find((e) => e.type === 'provider_switch')?.data).toEqual({ traceId, from: 'openai', to: 'anthropic', reason: failure.reason })
      expect(done.event).toMatchObject({ type: 'complete', data: { provider: 'anthropic', content: second, tokenCount: 6 } })

      const item = await (await backend.message(traceId)).json()
      expect(item).toMatchObject({ status: 'complete', provider: 'anthropic', content: second })

      const switchedAt = witness.received.find((r) => r.event.type === 'provider_switch')!.at
      const firstNewToken = witness.received.find((r) => r.event.type === 'token' && r.event.data.provider === 'anthropic')!.at
      const lastOldToken = witness.received.filter((r) => r.event.type === 'token' && r.event.data.provider === 'openai').at(-1)?.at
      test.info().annotations.push({
        type: 'failover-ms',
        description: `${failure.kind}: switch→first anthropic token ${firstNewToken - switchedAt} ms` +
          (lastOldToken ? `, last openai token→first anthropic token ${firstNewToken - lastOldToken} ms` : ''),
      })
    })
  }

  test('a provider that accepts the request and never sends a first token: switch with reason timeout at the first-token bound', async ({
    backend,
    fakeLlm,
    witness,
    userId,
  }) => {
    const second = numberedReply(6, 'a')
    await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(8, 'o'), failure: { kind: 'stall', afterTokens: 0 } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: second })

    const postedAt = Date.now()
    const { traceId } = await backend.startAnswer('never a first token')
    // The fake took the request and sent its headers, then nothing: the answer waits on openai, empty, not failed.
    await expect.poll(async () => (await fakeLlm.requests(userId)).map((r) => [r.provider, r.outcome, r.tokensSent])).toEqual([['openai', 'stall', 0]])
    expect(await (await backend.message(traceId)).json()).toMatchObject({ status: 'streaming', provider: 'openai', content: '' })

    const done = await witness.finished(traceId, FIRST_TOKEN_TIMEOUT_MS + 10_000)
    const events = witness.events(traceId)
    expect(events.map(shape)).toEqual(['provider_switch', ...Array.from({ length: 6 }, (_, i) => `token:anthropic:${i}`), 'complete'])
    expect(events[0]!.data).toEqual({ traceId, from: 'openai', to: 'anthropic', reason: 'timeout' })
    expect(done.event).toMatchObject({ type: 'complete', data: { provider: 'anthropic', content: second } })

    // At the first-token bound: not sooner (the idle bound is shorter), and not much later.
    const openaiReceivedAt = Date.parse((await fakeLlm.requests(userId))[0]!.receivedAt)
    const switchedAt = witness.received.find((r) => r.event.type === 'provider_switch')!.at
    expect(switchedAt - postedAt).toBeGreaterThanOrEqual(FIRST_TOKEN_TIMEOUT_MS)
    expect(switchedAt - openaiReceivedAt).toBeLessThan(FIRST_TOKEN_TIMEOUT_MS + 2_000)
    expect((await fakeLlm.requests(userId)).map((r) => r.provider)).toEqual(['openai', 'anthropic'])
  })

  test('a truncated or malformed stream of either provider is that provider failing, named in the error', async ({ backend, fakeLlm, witness, userId }) => {
    const pairs = [
      { openai: 'truncated', anthropic: 'malformed' },
      { openai: 'malformed', anthropic: 'truncated' },
    ] as const
    for (const pair of pairs) {
      await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(6, 'o'), failure: { kind: pair.openai, afterTokens: 2 } })
      await fakeLlm.script({ userId, provider: 'anthropic', reply: numberedReply(6, 'a'), failure: { kind: pair.anthropic, afterTokens: 3 } })
      const { traceId } = await backend.startAnswer(`openai ${pair.openai}, anthropic ${pair.anthropic}`)
      const done = await witness.finished(traceId)
      expect(done.event).toMatchObject({ type: 'error', data: { traceId, code: 'all_providers_failed' } })
      const message = done.event.type === 'error' ? done.event.data.message : ''
      // Reasons only: the providers' own words stay in the server's log.
      expect(message).toBe(`Every provider failed: openai (${pair.openai}), anthropic (${pair.anthropic}).`)
      expect(witness.events(traceId).find((e) => e.type === 'provider_switch')?.data).toMatchObject({ reason: pair.openai })
      // The error event goes out before the item's write (it needs no Redis).
      await expect.poll(async () => (await (await backend.message(traceId)).json()) as unknown).toMatchObject({ status: 'error' })
    }
  })

  test('every provider failing ends in one error event and an error item', async ({ backend, fakeLlm, witness, userId }) => {
    await fakeLlm.script({ userId, provider: 'openai', failure: { kind: 'http_500', afterTokens: 0 } })
    await fakeLlm.script({ userId, provider: 'anthropic', failure: { kind: 'disconnect', afterTokens: 2 } })
    const { traceId } = await backend.startAnswer('doomed')
    const done = await witness.finished(traceId)
    expect(done.event).toMatchObject({ type: 'error', data: { traceId, code: 'all_providers_failed' } })
    expect(witness.events(traceId).filter((e) => e.type === 'provider_switch')).toHaveLength(1)
    // The error event goes out before the item's write (it needs no Redis).
    await expect.poll(async () => (await (await backend.message(traceId)).json()) as unknown).toMatchObject({ status: 'error' })
  })
})
