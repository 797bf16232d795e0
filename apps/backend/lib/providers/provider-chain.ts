import type { ProviderName } from '@chat/protocol'
import type { BackendConfig } from '../config'
import { createAnthropicProvider } from './anthropic-provider'
import type { LlmProvider, ProviderSettings } from './llm-provider'
import { createOpenAiProvider } from './openai-provider'

/** The adapter of every provider of `@chat/protocol`. */
const adapters: Record<ProviderName, (settings: ProviderSettings) => LlmProvider> = {
  openai: createOpenAiProvider,
  anthropic: createAnthropicProvider,
}

/** The providers of `LLM_PROVIDERS`, in the order failover tries them. */
export const createProviderChain = (config: BackendConfig): LlmProvider[] =>
  config.providers.map((name) => adapters[name](config.providerSettings[name]))
