import { userIdSchema } from '@chat/protocol'
import { z } from 'zod'

export const ANSWER_REQUESTED = 'chat.answer.requested'

/** The event that asks the generation step for an answer; the turn is already recorded in the stream. */
export const answerJobSchema = z.object({
  traceId: z.string(),
  userId: userIdSchema,
  conversationId: z.string().optional(),
  message: z.string(),
})
export type AnswerJob = z.infer<typeof answerJobSchema>
