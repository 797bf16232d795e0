import { ANSWER_SWEEP_SECONDS } from '@chat/protocol'
import type { CronConfig, CronHandler } from 'motia'
import { redisForCommands } from '../lib/redis/backend-redis'
import { sweepAnswers } from '../lib/sweep-answers'

export const config: CronConfig = {
  type: 'cron',
  name: 'SweepAnswers',
  description: 'Ends answers left behind by a backend instance that is gone, or stalled, with error interrupted',
  cron: `*/${ANSWER_SWEEP_SECONDS} * * * * *`,
  emits: [],
  flows: ['chat'],
}

export const handler: CronHandler<never> = async ({ logger, state, streams }) => {
  await sweepAnswers(streams['chat-messages'], state, await redisForCommands(), logger)
}
