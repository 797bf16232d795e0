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
})

export interface BackendConfig {
  providers: ProviderName[]
  openai: { baseURL?: string; apiKey: string; model: string }
  anthropic: { baseURL?: string; apiKey: string; model: string }
  firstTokenTimeoutMs: number
  idleTimeoutMs: number
  corsOrigins: string[]
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
  }
}
