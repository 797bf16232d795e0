import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from './stack-env'

/** The secrets of one stack start: random each time unless the environment sets them. */
export interface StackSecrets {
  /** HMAC key of the backend's session tokens. */
  SESSION_SECRET: string
  /** Redis `requirepass`. */
  REDIS_PASSWORD: string
  /** Bearer token of the fake LLM's control API. */
  FAKE_LLM_CONTROL_TOKEN: string
}

const SECRETS_FILE = path.join(ROOT, '.stack', 'secrets.json')
const NAMES = ['SESSION_SECRET', 'REDIS_PASSWORD', 'FAKE_LLM_CONTROL_TOKEN'] as const

const random = () => randomBytes(32).toString('base64url')

/** Makes this start's secrets and writes them (owner-only) where the suite's fixtures read them. */
export const createStackSecrets = (env: NodeJS.ProcessEnv): StackSecrets => {
  const secrets = Object.fromEntries(NAMES.map((name) => [name, env[name] || random()])) as unknown as StackSecrets
  mkdirSync(path.dirname(SECRETS_FILE), { recursive: true })
  writeFileSync(SECRETS_FILE, JSON.stringify(secrets), { mode: 0o600 })
  chmodSync(SECRETS_FILE, 0o600)
  return secrets
}

/**
 * The secrets of the running stack (the environment wins, as it did for the stack). While Playwright only discovers
 * the tests (`--list`, an editor's listing: `PW_DISCOVERY=1`, set by playwright.config.ts until globalSetup has a stack),
 * missing secrets are empty strings, since a spec file may read them as it loads and no test runs.
 */
export const readStackSecrets = (env: NodeJS.ProcessEnv = process.env): StackSecrets => {
  let written: Partial<StackSecrets> = {}
  try {
    written = JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Partial<StackSecrets>
  } catch {
    // No stack started from this checkout: only the environment can tell.
  }
  const secrets = Object.fromEntries(NAMES.map((name) => [name, env[name] || written[name] || ''])) as unknown as StackSecrets
  const missing = NAMES.filter((name) => !secrets[name])
  if (missing.length > 0 && env.PW_DISCOVERY !== '1') throw new Error(`No ${missing.join(', ')}: start the stack (npm run stack) or set them in the environment.`)
  return secrets
}
