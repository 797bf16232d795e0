import { toWsUrl } from '@chat/client'

/** Where the Motia backend lives (build-time env), e.g. http://localhost:3000. */
export const MOTIA_URL: string = import.meta.env.VITE_MOTIA_URL ?? 'http://localhost:3000'

export const streamAddress = (userId: string): string => toWsUrl(MOTIA_URL, userId)
