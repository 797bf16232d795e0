/**
 * The Motia plugin that makes Node steps run in the server process (see step-invoker.ts). `MOTIA_WARM_STEPS=off`
 * keeps Motia's process per invocation; under `motia dev` that is the default, so edited steps and their imports
 * are picked up on the next call (`MOTIA_WARM_STEPS=on` forces warm steps there too).
 */
import type { MotiaPluginContext } from 'motia'
import { createStepInvoker, type StepInvoker } from './step-invoker'

export const warmStepsEnabled = (env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean => {
  const setting = env.MOTIA_WARM_STEPS?.toLowerCase()
  if (setting === 'off' || setting === 'false' || setting === '0') return false
  if (setting === 'on' || setting === 'true' || setting === '1') return true
  return !argv.slice(2).includes('dev')
}

export const warmStepsPlugin = (context: MotiaPluginContext) => {
  if (warmStepsEnabled()) {
    // Read by the hook patched into @motiadev/core's call-step-file.mjs.
    ;(context.lockedData as unknown as { stepInvoker?: StepInvoker }).stepInvoker = createStepInvoker()
  }
  return { workbench: [] }
}
