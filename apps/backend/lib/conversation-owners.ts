import type { InternalStateManager } from 'motia'

/** State group recording whose each conversation is: conversationId → its owner, written by its first turn. */
export const CONVERSATION_OWNERS_GROUP = 'conversation-owners'

interface ConversationOwner {
  userId: string
  startedAt: string
}

/**
 * Checks of one conversation run one after another, so two first turns arriving together (two users naming one
 * fresh id) cannot both record themselves as its owner. In-process, like the answer claims (lib/answer-claims.ts).
 */
const checks = new Map<string, Promise<unknown>>()

const oneAtATime = <T>(key: string, check: () => Promise<T>): Promise<T> => {
  const run = (checks.get(key) ?? Promise.resolve()).catch(() => undefined).then(check)
  checks.set(key, run)
  const forget = () => {
    if (checks.get(key) === run) checks.delete(key)
  }
  run.then(forget, forget)
  return run
}

/**
 * Whether `userId` may add a turn to `conversationId`: yes when it is theirs, or new (it becomes theirs);
 * no when another user started it.
 */
export const mayContinueConversation = (state: InternalStateManager, conversationId: string, userId: string): Promise<boolean> =>
  oneAtATime(conversationId, async () => {
    const owner = await state.get<ConversationOwner>(CONVERSATION_OWNERS_GROUP, conversationId)
    if (owner) return owner.userId === userId
    await state.set<ConversationOwner>(CONVERSATION_OWNERS_GROUP, conversationId, { userId, startedAt: new Date().toISOString() })
    return true
  })
