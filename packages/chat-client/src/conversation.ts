import { CONVERSATION_ID_PATTERN, newConversationId } from '@chat/protocol'

export const CONVERSATION_STORAGE_KEY = 'motia-chat:conversation'

/** Where a tab keeps its current conversation: its sessionStorage in the browser. */
export type ConversationStorage = Pick<Storage, 'getItem' | 'setItem'>

export const tabStorage = (): ConversationStorage | null => (typeof sessionStorage === 'undefined' ? null : sessionStorage)

const kept = (storage: ConversationStorage | null, userId: string): string | null => {
  try {
    const value = JSON.parse(storage?.getItem(CONVERSATION_STORAGE_KEY) ?? 'null') as { userId?: unknown; conversationId?: unknown } | null
    const id = value?.userId === userId ? value.conversationId : null
    return typeof id === 'string' && CONVERSATION_ID_PATTERN.test(id) ? id : null
  } catch {
    return null
  }
}

/** Starts a new conversation of `userId` in this tab (the "New chat" action): from now on, a reload continues it. */
export const startConversation = (userId: string, storage: ConversationStorage | null = tabStorage()): string => {
  const conversationId = newConversationId()
  storage?.setItem(CONVERSATION_STORAGE_KEY, JSON.stringify({ userId, conversationId }))
  return conversationId
}

/** This tab's current conversation of `userId`: the one it kept (a reload continues it), else a new one. */
export const currentConversation = (userId: string, storage: ConversationStorage | null = tabStorage()): string =>
  kept(storage, userId) ?? startConversation(userId, storage)
