import type { ProviderName } from '@chat/protocol'
import type { BackendConfig } from '../config'
import { createAnthropicProvider } from './anthropic-provider'
import type { LlmProvider } from './llm-provider'
import { createOpenAiProvider } from './openai-provider'

const factories: Record<ProviderName, (config: BackendConfig) => LlmProvider> = {
  openai: (config) => createOpenAiProvider(config.openai),
  anthropic: (config) => createAnthropicProvider(config.anthropic),
}

/** The providers of `LLM_PROVIDERS`, in the order failover tries them. */
export const createProviderChain = (config: BackendConfig): LlmProvider[] =>
  config.providers.map((name) => factories[name](config))
