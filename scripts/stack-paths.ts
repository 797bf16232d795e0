import path from 'node:path'
import { ROOT } from './stack-env'

/** Where the running stack keeps its logs, the PID of each service, and holds (see `serviceCommand`). */
export const STACK_DIR = path.join(ROOT, '.stack')
export const LOG_DIR = path.join(STACK_DIR, 'logs')
export const PID_DIR = path.join(STACK_DIR, 'pids')
export const HOLD_DIR = path.join(STACK_DIR, 'holds')
export const REDIS_DIR = path.join(STACK_DIR, 'redis')
/** Redis's config file (owner-only): its password, kept out of every process's arguments. */
export const REDIS_CONF = path.join(STACK_DIR, 'redis.conf')
/** The balancer's (HAProxy's) config, written at each start for the instances it spreads requests over. */
export const BALANCER_CONF = path.join(STACK_DIR, 'haproxy.cfg')

export const pidFile = (name: string): string => path.join(PID_DIR, name)
export const holdFile = (name: string): string => path.join(HOLD_DIR, name)

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`

/**
 * The shell line concurrently runs for a service: while `.stack/holds/<name>` exists the (re)start waits, so a
 * fault can keep a service down for as long as it likes; then the shell writes its PID and `exec`s the service,
 * so that PID is the service itself (a signal sent to it reaches no wrapper).
 */
export const serviceCommand = (name: string, command: string): string =>
  `while [ -e ${quote(holdFile(name))} ]; do sleep 0.1; done; echo $$ > ${quote(pidFile(name))}; exec ${command}`
