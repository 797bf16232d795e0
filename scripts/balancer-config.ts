import type { BackendInstance } from './backend-instances'

export interface BalancerSettings {
  host: string
  port: number
  instances: BackendInstance[]
}

/**
 * HAProxy's config for the backend instances (its connection limit derived from the open-files limit). HTTP mode, so each request is balanced on its own (round robin, no
 * stickiness: a tab's POSTs, polls and socket may each land on another instance) and WebSocket upgrades pass as
 * tunnels. An instance is checked on `GET /api/health` every 500 ms: out of rotation after 2 failures, back after
 * 1 success. A request refused by an instance that just died is sent to another (`redispatch`); none is retried once
 * an instance has it (a POST is not idempotent without its answerId). `timeout tunnel` bounds an idle socket only:
 * a chat socket open for a day without a frame is still kept.
 */
export const balancerConfig = ({ host, port, instances }: BalancerSettings): string =>
  `${[
    'global',
    'defaults',
    '  mode http',
    // The client's address for the backend's per-address limits, appended after any the client sent itself.
    '  option forwardfor',
    '  option redispatch',
    '  retries 2',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 75s',
    '  timeout http-request 10s',
    // An idle client connection is kept longer than any pause of the apps or the suite: a connection the balancer
    // closes just as a client reuses it is a reset POST (the default is http-request's 10 s).
    '  timeout http-keep-alive 120s',
    '  timeout tunnel 24h',
    '  timeout client-fin 5s',
    'frontend chat',
    `  bind ${host}:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /api/health',
    '  http-check expect status 200',
    '  default-server inter 500ms fall 2 rise 1',
    ...instances.map((instance) => `  server ${instance.name} ${host}:${instance.port} check`),
  ].join('\n')}\n`
