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
    // The handler's limit is above the usual worst case of the chain (two providers, each failed by its first-token
    // or idle timeout); an answer cut off by it is ended by the sweep (steps/sweep-answers).
    // The lock (visibilityTimeout) outlives the handler, so a job is only picked up again when its process died.
    queue: { type: 'standard', maxRetries: 0, concurrency: Number(process.env.GENERATE_ANSWER_CONCURRENCY) || 256, visibilityTimeout: 75 },
    handler: { timeout: 60 },
  },
}

export const handler: EventHandler<AnswerJob, never> = async (job, { logger, state, streams }) => {
  const parsed = answerJobSchema.parse(job)
  await runAnswer(parsed, streams['chat-messages'], state, logger)
}
