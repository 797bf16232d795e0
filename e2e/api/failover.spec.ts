import type { ChatEvent } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { numberedReply } from '../../fixtures/replies'

const failures = [
  { kind: 'http_500', afterTokens: 0, reason: 'http_5xx' },
  { kind: 'http_429', afterTokens: 0, reason: 'rate_limited' },
  { kind: 'disconnect', afterTokens: 4, reason: 'error' },
  { kind: 'stall', afterTokens: 3, reason: 'stalled' },
] as const

test.describe('provider failover, as the stream shows it', () => {
  for (const failure of failures) {
    test(`${failure.kind} after ${failure.afterTokens} tokens: first provider's tokens, one switch, tokens from seq 0, one complete`, async ({
      backend,
      fakeLlm,
      witness,
      userId,
    }) => {
      const first = numberedReply(8, 'o')
      const second = numberedReply(6, 'a')
      await fakeLlm.script({ userId, provider: 'openai', reply: first, failure: { kind: failure.kind, afterTokens: failure.afterTokens } })
      await fakeLlm.script({ userId, provider: 'anthropic', reply: second })

      const { traceId } = await backend.startAnswer(`fail with ${failure.kind}`)
      const done = await witness.finished(traceId)
      const events = witness.events(traceId)
      const shape = (e: ChatEvent) => (e.type === 'token' ? `token:${e.data.provider}:${e.data.seq}` : e.type)
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

  test('every provider failing ends in one error event and an error item', async ({ backend, fakeLlm, witness, userId }) => {
    await fakeLlm.script({ userId, provider: 'openai', failure: { kind: 'http_500', afterTokens: 0 } })
    await fakeLlm.script({ userId, provider: 'anthropic', failure: { kind: 'disconnect', afterTokens: 2 } })
    const { traceId } = await backend.startAnswer('doomed')
    const done = await witness.finished(traceId)
    expect(done.event).toMatchObject({ type: 'error', data: { traceId, code: 'all_providers_failed' } })
    expect(witness.events(traceId).filter((e) => e.type === 'provider_switch')).toHaveLength(1)
    expect(await (await backend.message(traceId)).json()).toMatchObject({ status: 'error' })
  })
})
