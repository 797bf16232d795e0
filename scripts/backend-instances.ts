/**
 * The backend runs as BACKEND_INSTANCES Motia processes (1–4, 2 unless set), each on its own port
 * (BACKEND_INSTANCE_BASE_PORT + 1, + 2, …; 3101, 3102 by default), behind one balancer on BACKEND_PORT (3000), which
 * is the only address the apps and the suite use.
 */
export const BALANCER = 'balancer'
export const MAX_BACKEND_INSTANCES = 4

export interface BackendInstance {
  /** `backend-1`, `backend-2`, …: the service's name in the stack (its log, PID and hold files). */
  name: string
  port: number
}

export const backendInstanceCount = (env: NodeJS.ProcessEnv): number => {
  const count = Number(env.BACKEND_INSTANCES ?? 2)
  if (!Number.isInteger(count) || count < 1 || count > MAX_BACKEND_INSTANCES) {
    throw new Error(`BACKEND_INSTANCES must be a whole number from 1 to ${MAX_BACKEND_INSTANCES} (got ${env.BACKEND_INSTANCES})`)
  }
  return count
}

export const backendInstances = (env: NodeJS.ProcessEnv): BackendInstance[] => {
  const base = Number(env.BACKEND_INSTANCE_BASE_PORT ?? 3100)
  return Array.from({ length: backendInstanceCount(env) }, (_, index) => ({ name: `backend-${index + 1}`, port: base + index + 1 }))
}
