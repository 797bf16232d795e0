import { providerNameSchema, type ProviderName } from '@chat/protocol'
import { z } from 'zod'

const DEFAULT_ORIGINS = 'http://localhost:3001,http://localhost:5173,http://localhost:5174,http://localhost:5175'

const envSchema = z.object({
  LLM_PROVIDERS: z.string().default('openai'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).default('missing-openai-key'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).default('missing-anthropic-key'),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-3-5-haiku-latest'),
  PROVIDER_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVIDER_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  CORS_ORIGINS: z.string().default(DEFAULT_ORIGINS),
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is required: the HMAC key of session tokens (npm run stack makes a random one per start)' })
    .min(32, 'SESSION_SECRET must be at least 32 characters'),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(12 * 60 * 60),
  /** `open` (the stack's dev mode) leaves Motia's own routes — workbench, `/emit` — reachable. */
  MOTIA_ROUTES: z.enum(['closed', 'open']).default('closed'),
})

export interface BackendConfig {
  providers: ProviderName[]
  openai: { baseURL?: string; apiKey: string; model: string }
  anthropic: { baseURL?: string; apiKey: string; model: string }
  firstTokenTimeoutMs: number
  idleTimeoutMs: number
  corsOrigins: string[]
  sessionSecret: string
  sessionTtlSeconds: number
  motiaRoutesOpen: boolean
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)

/** Reads the backend's configuration from the environment; throws a readable error on a bad value. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): BackendConfig => {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    throw new Error(`Invalid backend configuration: ${z.prettifyError(parsed.error)}`)
  }
  const e = parsed.data
  const providers = z.array(providerNameSchema).min(1).parse(splitList(e.LLM_PROVIDERS))
  return {
    providers,
    openai: { baseURL: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.OPENAI_MODEL },
    anthropic: { baseURL: e.ANTHROPIC_BASE_URL, apiKey: e.ANTHROPIC_API_KEY, model: e.ANTHROPIC_MODEL },
    firstTokenTimeoutMs: e.PROVIDER_FIRST_TOKEN_TIMEOUT_MS,
    idleTimeoutMs: e.PROVIDER_IDLE_TIMEOUT_MS,
    corsOrigins: splitList(e.CORS_ORIGINS),
    sessionSecret: e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    motiaRoutesOpen: e.MOTIA_ROUTES === 'open',
  }
}
