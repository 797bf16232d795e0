import { toWsUrl } from '@chat/client'
import { socketProtocols, type Session } from '@chat/protocol'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL: string = import.meta.env.VITE_MOTIA_URL ?? 'http://localhost:3000'

export const streamAddress = (session: Session): string => toWsUrl(MOTIA_URL, session.userId)
export const streamProtocols = (session: Session): string[] => socketProtocols(session.token)
