import { chatMessageSchema, STREAM_NAME } from '@chat/protocol'
import type { StreamConfig } from 'motia'

/** Stream `chat-messages`, group `user:<userId>`: one item per message, plus the ephemeral chat events. */
export const config: StreamConfig = {
  name: STREAM_NAME,
  schema: chatMessageSchema,
  baseConfig: { storageType: 'default' },
}
