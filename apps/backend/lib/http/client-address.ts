import { first } from '../auth/request-session'

/** A request as Motia hands it to a step, with the peer address our patch adds (`server.mjs`). */
export interface PeerRequest {
  headers: Record<string, string | string[] | undefined>
  remoteAddress?: string
}

const plain = (address: string): string => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')

/**
 * The client's address: the peer's, unless the peer is a trusted proxy (the balancer), whose own `X-Forwarded-For`
 * entry — the last one; anything before it the client wrote itself — names the client.
 */
export const clientAddress = (req: PeerRequest, trustedProxies: readonly string[]): string => {
  const peer = plain(req.remoteAddress ?? 'unknown')
  if (!trustedProxies.includes(peer)) return peer
  const forwarded = (first(req.headers['x-forwarded-for']) ?? '').split(',').map(plain).filter(Boolean)
  return forwarded.at(-1) ?? peer
}
