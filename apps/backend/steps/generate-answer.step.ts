import type { EventConfig, EventHandler } from 'motia'
import { ANSWER_REQUESTED, answerJobSchema, type AnswerJob } from '../lib/answer-job'
import { admissionKey, answerDone } from '../lib/answer-admission'
import { answersPerInstance } from '../lib/motia/event-concurrency'
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
    // The queue is in this process (lib/motia/in-process-events.ts). Generations mostly wait on the network, a few kB
    // each: the queue must never be what makes an answer wait. As many run as the instance admits (503 busy past it).
    // The handler's limit is above the usual worst case of the chain (two providers, each failed by its first-token
    // or idle timeout); an answer cut off by it is ended by the sweep (steps/sweep-answers).
    queue: { type: 'standard', maxRetries: 0, concurrency: answersPerInstance(), visibilityTimeout: 75 },
    handler: { timeout: 60 },
  },
}

export const handler: EventHandler<AnswerJob, never> = async (job, { logger, state, streams }) => {
  const parsed = answerJobSchema.parse(job)
  try {
    await runAnswer(parsed, streams['chat-messages'], state, logger)
  } finally {
    answerDone(admissionKey(parsed))
  }
}
