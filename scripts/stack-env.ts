import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import dotenv from 'dotenv'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Loads `.env` (local overrides, not committed), then `.env.example` (defaults); the real environment wins over both. */
export const loadStackEnv = (): void => {
  for (const file of ['.env', '.env.example']) {
    const full = path.join(ROOT, file)
    if (existsSync(full)) dotenv.config({ path: full, quiet: true })
  }
}
