/** This app's wiring of the shared client (`@chat/client`): where the backend is, and what the UI needs from it. */
export { TEST_IDS, TRANSPORT_LABELS, connectionStatusAttributes, messageAttributes } from '@chat/client'
export type { ChatState, Transport, UseChatResult, ViewMessage } from '@chat/client'
export type { Session } from '@chat/protocol'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL = process.env.NEXT_PUBLIC_MOTIA_URL ?? 'http://localhost:3000'
