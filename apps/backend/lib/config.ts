import { APP_NAMES, appOrigin } from '@chat/apps'
import { PROVIDER_NAMES, providerNameSchema, type ProviderName } from '@chat/protocol'
import { z } from 'zod'
import type { ProviderSettings } from './providers/llm-provider'

/** Every app of the registry, as the browser names its origin. */
const DEFAULT_ORIGINS = APP_NAMES.map(appOrigin).join(',')

/** Each provider's settings come from `<NAME>_BASE_URL`, `<NAME>_API_KEY` and `<NAME>_MODEL` (e.g. `OPENAI_API_KEY`). */
const envPrefix = (name: ProviderName): string => name.toUpperCase()

const providerEnvSchema = (name: ProviderName) => {
  const prefix = envPrefix(name)
  return z
    .object({
      [`${prefix}_BASE_URL`]: z.string().url().optional(),
      [`${prefix}_API_KEY`]: z.string().min(1).default(`missing-${name}-key`),
      [`${prefix}_MODEL`]: z.string().min(1).optional(),
    })
    .transform((env): ProviderSettings => ({
      baseURL: env[`${prefix}_BASE_URL`] as string | undefined,
      apiKey: env[`${prefix}_API_KEY`] as string,
      model: env[`${prefix}_MODEL`] as string | undefined,
    }))
}

/**
 * The characters of earlier turns (questions and answers) sent with each answer's request: about 6,000 tokens at
 * ~4 characters a token, beside the current message (at most 8,000 characters) and the answer (1,024 tokens).
 */
export const DEFAULT_HISTORY_BUDGET_CHARS = 24_000

const envSchema = z.object({
  LLM_PROVIDERS: z.string().default('openai'),
  PROVIDER_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVIDER_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  HISTORY_BUDGET_CHARS: z.coerce.number().int().nonnegative().default(DEFAULT_HISTORY_BUDGET_CHARS),
  CORS_ORIGINS: z.string().default(DEFAULT_ORIGINS),
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is required: the HMAC key of session tokens (npm run stack makes a random one per start)' })
    .min(32, 'SESSION_SECRET must be at least 32 characters'),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(12 * 60 * 60),
  /** The balancer's addresses: only a request from one of them is read for the client's own (`X-Forwarded-For`). */
  TRUSTED_PROXIES: z.string().default(''),
  /** `open` (the stack's dev mode) leaves Motia's own routes — workbench, `/emit` — reachable. */
  MOTIA_ROUTES: z.enum(['closed', 'open']).default('closed'),
})

export interface BackendConfig {
  providers: ProviderName[]
  providerSettings: Record<ProviderName, ProviderSettings>
  firstTokenTimeoutMs: number
  idleTimeoutMs: number
  historyBudgetChars: number
  corsOrigins: string[]
  sessionSecret: string
  sessionTtlSeconds: number
  motiaRoutesOpen: boolean
  trustedProxies: string[]
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)

const parseOrThrow = <T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T => {
  const parsed = schema.safeParse(env)
  if (!parsed.success) throw new Error(`Invalid backend configuration: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

const readConfig = (env: NodeJS.ProcessEnv): BackendConfig => {
  const e = parseOrThrow(envSchema, env)
  const providers = z.array(providerNameSchema).min(1).parse(splitList(e.LLM_PROVIDERS))
  const providerSettings = Object.fromEntries(PROVIDER_NAMES.map((name) => [name, parseOrThrow(providerEnvSchema(name), env)])) as Record<
    ProviderName,
    ProviderSettings
  >
  return {
    providers,
    providerSettings,
    firstTokenTimeoutMs: e.PROVIDER_FIRST_TOKEN_TIMEOUT_MS,
    idleTimeoutMs: e.PROVIDER_IDLE_TIMEOUT_MS,
    historyBudgetChars: e.HISTORY_BUDGET_CHARS,
    corsOrigins: splitList(e.CORS_ORIGINS),
    sessionSecret: e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    motiaRoutesOpen: e.MOTIA_ROUTES === 'open',
    trustedProxies: splitList(e.TRUSTED_PROXIES),
  }
}

let loaded: BackendConfig | undefined
/**
 * The backend's configuration, read from the environment once (it does not change while the process runs, and every
 * answer asks for it); throws a readable error on a bad value.
 */
export const loadConfig = (): BackendConfig => (loaded ??= readConfig(process.env))
