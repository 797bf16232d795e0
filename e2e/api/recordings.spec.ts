import { readdirSync } from 'node:fs'
import path from 'node:path'
import { providerEnding, type ProviderName } from '@chat/protocol'
import { anthropic, openai } from '../../fixtures/fake-llm/sdk-clients'
import { expect, test } from '../../fixtures/test'

// Real provider streams others recorded and published (fixtures/recordings/SOURCES.md), replayed by the fake LLM
// through the whole stack. What the backend makes of each must be what the official SDK assembles from the same file.
const RECORDINGS = path.resolve(import.meta.dirname, '../../fixtures/recordings')
const recordings = (['openai', 'anthropic'] as const).flatMap((provider) =>
  readdirSync(path.join(RECORDINGS, provider))
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => ({ provider, file: `${provider}/${name}` })),
)

/** The SDK's own assembly of a replayed recording: the answer's text and the provider's stop reason. */
const sdkAssembly = async (provider: ProviderName, userId: string) => {
  if (provider === 'openai') {
    const completion = await openai.chat.completions.stream({ model: 'replay', user: userId, messages: [{ role: 'user', content: 'replay' }] }).finalChatCompletion()
    return { text: completion.choices[0]?.message.content ?? '', stopReason: completion.choices[0]?.finish_reason ?? null }
  }
  const message = await anthropic.messages
    .stream({ model: 'replay', max_tokens: 1024, metadata: { user_id: userId }, messages: [{ role: 'user', content: 'replay' }] })
    .finalMessage()
  return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''), stopReason: message.stop_reason }
}

for (const { provider, file } of recordings) {
  test(`recorded ${file}: the answer ends as the official SDK assembles the same stream`, async ({ backend, fakeLlm, witness, userId }) => {
    await fakeLlm.replay({ userId, provider, file, tokenDelayMs: 0 })
    const sdk = await sdkAssembly(provider, userId)
    const ending = providerEnding(provider, sdk.stopReason)

    // Anthropic answers second in the chain: openai is refused at once so the recording is the answer.
    if (provider === 'anthropic') await fakeLlm.script({ userId, provider: 'openai', reply: 'unused', failure: { kind: 'http_500', afterTokens: 0 } })
    await fakeLlm.replay({ userId, provider, file, tokenDelayMs: 0 })
    const fallback = provider === 'openai' ? 'anthropic' : null
    if ('fail' in ending && fallback) await fakeLlm.script({ userId, provider: fallback, reply: 'the next provider answers' })

    const { traceId } = await backend.startAnswer(`replay ${file}`)
    const done = await witness.finished(traceId)
    const switches = witness.events(traceId).flatMap((e) => (e.type === 'provider_switch' && e.data.from === provider ? [e.data.reason] : []))
    if ('fail' in ending) {
      // Not an answer (a tool call): the provider failed, and the text before it never passes as the answer.
      if (fallback) {
        expect(switches).toEqual([ending.fail])
        expect(done.event).toMatchObject({ type: 'complete', data: { provider: fallback, content: 'the next provider answers' } })
      } else {
        expect(done.event).toMatchObject({ type: 'error', data: { message: `Every provider failed: openai (http_5xx), anthropic (${ending.fail}).` } })
      }
    } else if (sdk.text === '' && (ending.complete === 'stop' || ending.complete === 'length')) {
      // Ended before a visible word (a reasoning model spent the budget): an empty answer is no answer.
      expect(switches).toEqual(['error'])
    } else {
      expect(done.event).toMatchObject({ type: 'complete', data: { provider, content: sdk.text, finishReason: ending.complete } })
      expect(switches).toEqual([])
      expect(await backend.storedMessage(traceId)).toMatchObject({ status: 'complete', content: sdk.text, finishReason: ending.complete })
    }
  })
}
