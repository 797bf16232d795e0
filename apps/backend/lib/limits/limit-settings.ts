import { z } from 'zod'
import { rateSchema, type Rate } from './rate'

/** Per-user and per-address limits (ARCHITECTURE, Trust: what each is for and what a client sees over it). */
export interface LimitSettings {
  /** Answers a user may ask for in a short window. */
  answersBurst: Rate
  /** Answers a user may ask for in a long window. */
  answersSustained: Rate
  /** Answers of one user streaming (or about to) at once. */
  answersInFlight: number
  /** Provider tokens streamed for a user's answers, per window. */
  tokenBudget: Rate
  /** New sessions issued to one client address (renewals are not counted). */
  newSessionsPerAddress: Rate
}

const limitsEnvSchema = z.object({
  RATE_ANSWERS_BURST: rateSchema.prefault('20/60'),
  RATE_ANSWERS_SUSTAINED: rateSchema.prefault('200/3600'),
  ANSWERS_IN_FLIGHT_PER_USER: z.coerce.number().int().positive().default(4),
  TOKEN_BUDGET_PER_USER: rateSchema.prefault('200000/86400'),
  RATE_NEW_SESSIONS_PER_ADDRESS: rateSchema.prefault('30/60'),
})

/** The limits `env` sets (the defaults where it is silent); throws a readable error on a bad value. */
export const limitSettings = (env: NodeJS.ProcessEnv = process.env): LimitSettings => {
  const parsed = limitsEnvSchema.safeParse(env)
  if (!parsed.success) throw new Error(`Invalid limits: ${z.prettifyError(parsed.error)}`)
  const e = parsed.data
  return {
    answersBurst: e.RATE_ANSWERS_BURST,
    answersSustained: e.RATE_ANSWERS_SUSTAINED,
    answersInFlight: e.ANSWERS_IN_FLIGHT_PER_USER,
    tokenBudget: e.TOKEN_BUDGET_PER_USER,
    newSessionsPerAddress: e.RATE_NEW_SESSIONS_PER_ADDRESS,
  }
}
