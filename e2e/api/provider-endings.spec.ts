import { ERROR_CODES, type ChatEvent, type FailureKind, type FinishReason, type ProviderName, type SwitchReason } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'

const REPLY = numberedReply(10)
const shape = (e: ChatEvent) => (e.type === 'token' ? `token:${e.data.provider}` : e.type)
/** What a user may be sent when every provider failed: reasons of ours, never a provider's words. */
const OUR_FAILURE_MESSAGE = /^Every provider failed: \w+ \(\w+\)(, \w+ \(\w+\))*\.$/

/** Endings that complete the answer where they come, with the text so far and a notice; never a switch. */
const COMPLETING: { provider: ProviderName; kind: FailureKind; afterTokens: number; finishReason: FinishReason }[] = [
  { provider: 'openai', kind: 'content_filter', afterTokens: 5, finishReason: 'content_filter' },
  { provider: 'openai', kind: 'content_filter', afterTokens: 0, finishReason: 'content_filter' },
  { provider: 'anthropic', kind: 'refusal', afterTokens: 4, finishReason: 'refusal' },
  { provider: 'anthropic', kind: 'refusal', afterTokens: 0, finishReason: 'refusal' },
]

/** Endings of the last provider of the chain that fail it: the answer fails, told in reasons only. */
const FAILING_LAST: { kind: FailureKind; afterTokens: number; reason: SwitchReason }[] = [
  { kind: 'overloaded', afterTokens: 3, reason: 'overloaded' },
  { kind: 'overloaded', afterTokens: 0, reason: 'overloaded' },
  { kind: 'api_error', afterTokens: 3, reason: 'provider_error' },
  { kind: 'tool_call', afterTokens: 0, reason: 'unexpected_ending' },
]

test.describe('how a provider ends its stream, as the user is told', () => {
  for (const ending of COMPLETING) {
    test(`${ending.provider} ${ending.kind} after ${ending.afterTokens} tokens: complete with the text so far and finishReason ${ending.finishReason}, no switch, no failover`, async ({
      backend,
      fakeLlm,
      witness,
      userId,
    }) => {
      // Anthropic answers second in the chain: openai is refused at once so the ending is anthropic's own.
      if (ending.provider === 'anthropic') await fakeLlm.script({ userId, provider: 'openai', reply: REPLY, failure: { kind: 'http_500', afterTokens: 0 } })
      await fakeLlm.script({ userId, provider: ending.provider, reply: REPLY, failure: { kind: ending.kind, afterTokens: ending.afterTokens } })

      const { traceId } = await backend.startAnswer(`end with ${ending.kind}`)
      const done = await witness.finished(traceId)
      const soFar = firstTokens(REPLY, ending.afterTokens)
      expect(done.event).toMatchObject({ type: 'complete', data: { provider: ending.provider, content: soFar, finishReason: ending.finishReason } })
      const switches = witness.events(traceId).filter((e) => e.type === 'provider_switch')
      expect(switches.map((e) => e.data.from), 'only the refused openai is left, never the provider that ended').toEqual(ending.provider === 'anthropic' ? ['openai'] : [])
      expect(witness.events(traceId).filter((e) => e.type === 'token' && e.data.provider === ending.provider)).toHaveLength(ending.afterTokens)
      expect(await backend.storedMessage(traceId)).toMatchObject({ status: 'complete', provider: ending.provider, content: soFar, finishReason: ending.finishReason })
      // Nobody else was asked: the ending was the provider's decision.
      expect((await fakeLlm.requests(userId)).map((r) => r.provider)).toEqual(ending.provider === 'anthropic' ? ['openai', 'anthropic'] : ['openai'])
    })
  }

  test('openai content_filter with stream: false: 200 with the text so far and finishReason content_filter', async ({ backend, fakeLlm, userId }) => {
    await fakeLlm.script({ userId, provider: 'openai', reply: REPLY, failure: { kind: 'content_filter', afterTokens: 5 } })
    const response = await backend.postChat({ message: 'at once', stream: false })
    expect(response.status()).toBe(200)
    expect(await response.json()).toMatchObject({ content: firstTokens(REPLY, 5), provider: 'openai', finishReason: 'content_filter' })
  })

  test('openai tool_call: an ending this chat never asks for is a failure (unexpected_ending), never silent text: the next provider answers', async ({
    backend,
    fakeLlm,
    witness,
    userId,
  }) => {
    await fakeLlm.script({ userId, provider: 'openai', reply: REPLY, failure: { kind: 'tool_call', afterTokens: 0 } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply: 'answered instead' })
    const { traceId } = await backend.startAnswer('call a tool?')
    expect((await witness.finished(traceId)).event).toMatchObject({ type: 'complete', data: { provider: 'anthropic', content: 'answered instead' } })
    expect(witness.events(traceId).find((e) => e.type === 'provider_switch')?.data).toEqual({ traceId, from: 'openai', to: 'anthropic', reason: 'unexpected_ending' })
  })

  for (const ending of FAILING_LAST) {
    test(`anthropic ${ending.kind} after ${ending.afterTokens} tokens, the last provider: the answer fails naming "${ending.reason}", and no provider's own words reach the event or the item`, async ({
      backend,
      fakeLlm,
      witness,
      userId,
    }) => {
      await fakeLlm.script({ userId, provider: 'openai', reply: REPLY, failure: { kind: 'http_500', afterTokens: 0 } })
      await fakeLlm.script({ userId, provider: 'anthropic', reply: REPLY, failure: { kind: ending.kind, afterTokens: ending.afterTokens } })
      const { traceId } = await backend.startAnswer(`fail with ${ending.kind}`)
      const done = await witness.finished(traceId)
      expect(done.event).toMatchObject({ type: 'error', data: { code: ERROR_CODES.allProvidersFailed } })
      const message = done.event.type === 'error' ? done.event.data.message : ''
      expect(message).toMatch(OUR_FAILURE_MESSAGE)
      expect(message).toBe(`Every provider failed: openai (http_5xx), anthropic (${ending.reason}).`)
      expect(witness.events(traceId).map(shape)).toEqual(['provider_switch', ...Array(ending.afterTokens).fill('token:anthropic'), 'error'])
      const item = await backend.storedMessage(traceId)
      expect(item.status).toBe('error')
      expect(JSON.stringify(item)).not.toMatch(/overloaded_error|api_error|Internal server error|Overloaded|tool_use|"type":"error"/)
    })
  }
})
