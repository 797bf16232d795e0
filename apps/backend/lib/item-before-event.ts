/**
 * An ending's item, then its event: `publish` runs once `write` has settled — so whoever hears the event and reads
 * the item finds it ended — or once `waitMs` has passed, whichever comes first (an event needs no Redis, and must not
 * wait for a Redis that is away or hung; the item then follows when Redis is back). Resolves when both are done; a
 * failed write is thrown after the event went out.
 */
export const publishAfterWrite = async (write: Promise<void>, publish: () => Promise<void>, waitMs: number): Promise<void> => {
  let waited: NodeJS.Timeout | undefined
  await Promise.race([write.catch(() => undefined), new Promise((resolve) => (waited = setTimeout(resolve, waitMs)))])
  clearTimeout(waited)
  await publish()
  await write
}
