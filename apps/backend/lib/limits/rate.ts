import { z } from 'zod'

/** At most `points` within a fixed window of `seconds`, starting at the first one. */
export interface Rate {
  points: number
  seconds: number
}

/** A rate as configured: `<points>/<seconds>`, e.g. `20/60` (twenty a minute). */
export const rateSchema = z
  .string()
  .regex(/^\s*[1-9]\d*\s*\/\s*[1-9]\d*\s*$/, 'a rate is <points>/<seconds>, e.g. 20/60')
  .transform((value): Rate => {
    const [points, seconds] = value.split('/').map(Number) as [number, number]
    return { points, seconds }
  })

/** A `Retry-After` in whole seconds, at least 1, for a wait of `ms`. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))
