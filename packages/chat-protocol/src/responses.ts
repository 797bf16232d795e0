import { z } from 'zod'
import { finishReasonSchema, providerNameSchema } from './providers'
import { STREAM_NAME } from './stream'

/** 202 answer to a `stream: true` request. */
export const streamAcceptedSchema = z.object({
  traceId: z.string(),
  streamName: z.literal(STREAM_NAME),
  groupId: z.string(),
})
export type StreamAccepted = z.infer<typeof streamAcceptedSchema>

/** 200 answer to a `stream: false` request. */
export const chatCompletedSchema = z.object({
  traceId: z.string(),
  content: z.string(),
  provider: providerNameSchema,
  finishReason: finishReasonSchema,
})
export type ChatCompleted = z.infer<typeof chatCompletedSchema>

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>
