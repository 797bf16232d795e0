import { groupIdFor, STREAM_NAME } from '@chat/protocol'
import { randomUUID } from 'node:crypto'
import { redisKeysHolding } from '../../../fixtures/backend/redis-copies'
import { numberedReply } from '../../../fixtures/replies'
import { expect, test } from '../../../fixtures/test'

test("an answer's text is stored in its user's group alone: no trace of Motia's workbench in Redis copies it", async ({ backend, fakeLlm, userId, witness }) => {
  const marker = `private-${randomUUID()}`
  const reply = `${marker} ${numberedReply(12)}`
  await fakeLlm.script({ userId, provider: 'openai', reply })
  const { traceId } = await backend.startAnswer('Where is my answer kept?')
  const done = await witness.finished(traceId)
  expect(done.event).toMatchObject({ type: 'complete', data: { content: reply } })

  expect(await redisKeysHolding(marker)).toEqual([`motia:stream:${STREAM_NAME}:group:${groupIdFor(userId)}`])
})

test("a question's text is stored in its user's group alone: the queue that hands it to the generation keeps no copy", async ({ backend, fakeLlm, userId, witness }) => {
  const marker = `private-${randomUUID()}`
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(12) })
  const { traceId } = await backend.startAnswer(`Where is my question kept? ${marker}`)
  const done = await witness.finished(traceId)
  expect(done.event).toMatchObject({ type: 'complete' })

  expect(await redisKeysHolding(marker)).toEqual([`motia:stream:${STREAM_NAME}:group:${groupIdFor(userId)}`])
})

test("an answer's id is kept in its user's group alone: no log line of it is written to Redis", async ({ backend, fakeLlm, userId, witness }) => {
  await fakeLlm.script({ userId, provider: 'openai', reply: numberedReply(12) })
  const { traceId } = await backend.startAnswer('Is my answer logged in Redis?')
  expect((await witness.finished(traceId)).event).toMatchObject({ type: 'complete' })

  // Its in-progress entry goes once the answer ended; Motia's log lines (`motia:logs:*`) would stay 72 h.
  await expect.poll(() => redisKeysHolding(traceId)).toEqual([`motia:stream:${STREAM_NAME}:group:${groupIdFor(userId)}`])
})
