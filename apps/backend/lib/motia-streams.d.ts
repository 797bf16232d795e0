import type { ChatMessage } from '@chat/protocol'
import type { MotiaStream } from 'motia'

declare module 'motia' {
  interface FlowContextStateStreams {
    'chat-messages': MotiaStream<ChatMessage>
  }
}
