import { randomUUID } from 'node:crypto'

/**
 * This server process's id: made once in the server (motia.config.ts loads this module there first) and inherited
 * through the environment by any step process it starts, so warm and cold steps alike name the same server. It names
 * the process's heartbeat, its answers in progress, and the stream events it publishes to the other instances.
 */
export const SERVER_ID = (process.env.CHAT_SERVER_ID ??= randomUUID())
