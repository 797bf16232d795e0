export { createChatController, type ChatControllerDeps } from './chat-controller'
export { nextFrame, type FrameSchedule } from './next-frame'
export { toWsUrl } from './ws-url'
export { chatReducer, ABANDONED_AFTER_MS, type ChatAction } from './chat-reducer'
export { emptyModel, trackText, type ChatModel } from './chat-model'
export { revealStep } from './word-reveal'
export {
  BUSY_NOT_SENT_TEXT,
  busyNoticeText,
  endingNoticeText,
  errorNoticeText,
  notSentText,
  sessionWaitNoticeText,
  switchNoticeText,
  waitDurationText,
  waitNoticeText,
} from './notice-text'
export { DEFAULT_WAIT_SECONDS, MAX_BUSY_WAIT_SECONDS, MAX_LIMIT_WAIT_SECONDS, type AnswerWaitCode, type WaitCode } from './retry-wait'
export type * from './types'
export { loadSession, RENEW_WITHIN_MS, renewalDelayMs, SESSION_STORAGE_KEY } from './session'
export { CONVERSATION_STORAGE_KEY, currentConversation, startConversation, type ConversationStorage } from './conversation'
export { createSession, postChatMessage } from './chat-api'
export { TRANSPORT_LABELS } from './transport-label'
export {
  TEST_IDS,
  messageAttributes,
  connectionStatusAttributes,
  applyAttributes,
  CONTRACT_ATTRIBUTES,
  type MessageAttributes,
  type ConnectionStatusAttributes,
} from './ui-contract'
export type { Session } from '@chat/protocol'
export { canSubmit, isSendKey, createComposer, bindComposer, composerAttributes } from './composer'
export type { Composer, ComposerKey, ComposerOptions, ComposerState, ComposerElements, BoundComposer } from './composer'
export { followLatest, isPinned, PINNED_SLACK, type FollowLatest, type ScrollBox } from './follow-latest'
export {
  createChatSession,
  SESSION_RETRY_MS,
  type ChatSessionController,
  type ChatSessionDeps,
  type ChatSessionState,
} from './chat-session'
export type { Now, Schedule } from './schedule'
