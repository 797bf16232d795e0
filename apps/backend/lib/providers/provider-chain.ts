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

const chains = new WeakMap<BackendConfig, readonly LlmProvider[]>()

/**
 * The providers of `LLM_PROVIDERS`, in the order failover tries them: one chain per configuration, so every answer
 * shares each provider's SDK client (built once, not per answer).
 */
export const providerChain = (config: BackendConfig): readonly LlmProvider[] => {
  let chain = chains.get(config)
  if (!chain) chains.set(config, (chain = config.providers.map((name) => adapters[name](config.providerSettings[name]))))
  return chain
}
