import type { Transport } from './types'

/** The words for each transport, shown beside `data-transport`. */
export const TRANSPORT_LABELS: Record<Transport, string> = {
  connecting: 'Connecting…',
  websocket: 'Live (WebSocket)',
  polling: 'Polling fallback',
  offline: 'Offline',
}
