import type { EventConfig, EventHandler } from 'motia'
import { ANSWER_REQUESTED, answerJobSchema, type AnswerJob } from '../lib/answer-job'
import { runAnswer } from '../lib/run-answer'

export const config: EventConfig = {
  type: 'event',
  name: 'GenerateAnswer',
  description: 'Streams an answer through the provider chain to group user:<userId>',
  subscribes: [ANSWER_REQUESTED],
  emits: [],
  flows: ['chat'],
  input: answerJobSchema,
  infrastructure: {
    // A retried generation would publish its tokens a second time: one attempt only.
    // Generations mostly wait on the network and run in the server process (lib/warm-steps), a few kB each: the
    // queue must never be what makes an answer wait. GENERATE_ANSWER_CONCURRENCY overrides it.
    queue: { type: 'standard', maxRetries: 0, concurrency: Number(process.env.GENERATE_ANSWER_CONCURRENCY) || 256, visibilityTimeout: 180 },
    // Above the worst case of the provider chain (each attempt bounded by its first-token and idle timeouts).
    handler: { timeout: 150 },
  },
}

export const handler: EventHandler<AnswerJob, never> = async (job, { logger, streams }) => {
  const parsed = answerJobSchema.parse(job)
  await runAnswer(parsed, streams['chat-messages'], logger)
}
