import { chatCompletedSchema, chatMessageSchema } from '@chat/protocol'
import { expect, test } from '../../fixtures/test'
import { firstTokens, numberedReply } from '../../fixtures/replies'

test.describe('an answer the provider cut off at its length limit', () => {
  test('completes with the text so far and finishReason length, in the complete event and the item; no switch', async ({
    backend,
    fakeLlm,
    witness,
    userId,
  }) => {
    const reply = numberedReply(10)
    await fakeLlm.script({ userId, provider: 'openai', reply, failure: { kind: 'length', afterTokens: 6 } })
    const { traceId } = await backend.startAnswer('Say a lot')

    const done = await witness.finished(traceId)
    expect(done.event).toEqual({
      type: 'complete',
      data: { traceId, content: firstTokens(reply, 6), provider: 'openai', tokenCount: 6, finishReason: 'length' },
    })
    expect(witness.events(traceId).map((e) => e.type)).toEqual([...Array<string>(6).fill('token'), 'complete'])
    const item = chatMessageSchema.parse(await (await backend.message(traceId)).json())
    expect(item).toMatchObject({ status: 'complete', provider: 'openai', content: firstTokens(reply, 6), finishReason: 'length' })
    expect((await fakeLlm.requests(userId)).map((r) => r.provider)).toEqual(['openai'])
  })

  test("Anthropic's max_tokens is the same cut-off, after a failover", async ({ backend, fakeLlm, witness, userId }) => {
    const reply = numberedReply(8, 'a')
    await fakeLlm.script({ userId, provider: 'openai', failure: { kind: 'http_500', afterTokens: 0 } })
    await fakeLlm.script({ userId, provider: 'anthropic', reply, failure: { kind: 'length', afterTokens: 5 } })
    const { traceId } = await backend.startAnswer('Say a lot, second provider')

    const done = await witness.finished(traceId)
    expect(done.event).toMatchObject({ type: 'complete', data: { content: firstTokens(reply, 5), provider: 'anthropic', tokenCount: 5, finishReason: 'length' } })
    expect(await (await backend.message(traceId)).json()).toMatchObject({ status: 'complete', provider: 'anthropic', finishReason: 'length' })
  })

  test('stream: false answers 200 with finishReason length; a POST of the same answerId again says the same', async ({ backend, fakeLlm, userId }) => {
    const reply = numberedReply(9)
    await fakeLlm.script({ userId, provider: 'openai', reply, failure: { kind: 'length', afterTokens: 4 } })
    const answerId = 'length-limit-whole-0001'
    const first = await backend.postChat({ message: 'Whole but capped', stream: false, answerId })
    expect(first.status()).toBe(200)
    const expected = { traceId: answerId, content: firstTokens(reply, 4), provider: 'openai', finishReason: 'length' }
    expect(chatCompletedSchema.parse(await first.json())).toEqual(expected)
    const again = await backend.postChat({ message: 'Whole but capped', stream: false, answerId })
    expect(chatCompletedSchema.parse(await again.json())).toEqual(expected)
  })
})
