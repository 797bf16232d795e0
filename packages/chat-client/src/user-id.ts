import { USER_ID_PATTERN } from '@chat/protocol'

const STORAGE_KEY = 'motia-chat:userId'

/**
 * The user of this page: `?userId=` when valid, else the one kept in localStorage, else a new one that is kept.
 */
export const resolveUserId = (search: string = window.location.search, storage: Storage = window.localStorage): string => {
  const fromUrl = new URLSearchParams(search).get('userId')
  if (fromUrl && USER_ID_PATTERN.test(fromUrl)) return fromUrl
  const stored = storage.getItem(STORAGE_KEY)
  if (stored && USER_ID_PATTERN.test(stored)) return stored
  const made = `user-${crypto.randomUUID().slice(0, 8)}`
  storage.setItem(STORAGE_KEY, made)
  return made
}
