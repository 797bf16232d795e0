/**
 * `npm run record`: the fake LLM as a recording pass-through proxy. Requests to its `/v1/chat/completions` and
 * `/v1/messages` go to the upstream of their provider with the caller's headers (its API key among them), the answer
 * streams back unchanged, and each streamed answer is saved one JSON chunk a line to
 * `fixtures/recordings/<provider>-<timestamp>.jsonl`, ready for `POST /__replays` (fixtures/fake-llm/README.md).
 *
 *   RECORD_UPSTREAM_OPENAI=https://api.openai.com/v1 RECORD_UPSTREAM_ANTHROPIC=https://api.anthropic.com npm run record
 *
 * Then point a client at it (OPENAI_BASE_URL=http://localhost:4011/v1, ANTHROPIC_BASE_URL=http://localhost:4011).
 * Port: RECORD_PORT, else FAKE_LLM_PORT, else 4011 (beside the stack's fake on 4010); RECORD_DIR overrides the folder.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { startFakeLlm } from '../fixtures/fake-llm/src/server'

const upstreams = {
  ...(process.env.RECORD_UPSTREAM_OPENAI ? { openai: process.env.RECORD_UPSTREAM_OPENAI } : {}),
  ...(process.env.RECORD_UPSTREAM_ANTHROPIC ? { anthropic: process.env.RECORD_UPSTREAM_ANTHROPIC } : {}),
}
if (Object.keys(upstreams).length === 0) {
  console.error('record: set RECORD_UPSTREAM_OPENAI (e.g. https://api.openai.com/v1) and/or RECORD_UPSTREAM_ANTHROPIC (e.g. https://api.anthropic.com)')
  process.exit(2)
}

const fake = await startFakeLlm({
  port: Number(process.env.RECORD_PORT || process.env.FAKE_LLM_PORT || 4011),
  host: process.env.HOST || '127.0.0.1',
  // The control API is of no use while recording; it still needs a token no one else knows.
  controlToken: process.env.FAKE_LLM_CONTROL_TOKEN || randomBytes(32).toString('base64url'),
  record: { upstreams, ...(process.env.RECORD_DIR ? { dir: path.resolve(process.env.RECORD_DIR) } : {}) },
})
const targets = Object.entries(upstreams).map(([provider, url]) => `${provider} → ${url}`).join(', ')
console.log(`[fake-llm] recording on ${fake.url} (${targets})`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0))
  })
}
