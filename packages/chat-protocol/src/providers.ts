import { z } from 'zod'

export const providerNameSchema = z.enum(['openai', 'anthropic'])
export type ProviderName = z.infer<typeof providerNameSchema>

/** Why the backend left a provider for the next one (the `reason` of `provider_switch`). */
export const switchReasonSchema = z.enum(['error', 'http_5xx', 'rate_limited', 'timeout', 'stalled'])
export type SwitchReason = z.infer<typeof switchReasonSchema>
