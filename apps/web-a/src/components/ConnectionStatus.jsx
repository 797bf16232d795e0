import { TRANSPORT_LABELS } from '@chat/client'

/** @param {{ transport: import('@chat/client').Transport }} props */
export function ConnectionStatus({ transport }) {
  return (
    <span className={`status status-${transport}`} data-testid="connection-status" data-transport={transport} role="status">
      <span className="status-dot" aria-hidden="true" />
      {TRANSPORT_LABELS[transport]}
    </span>
  )
}
