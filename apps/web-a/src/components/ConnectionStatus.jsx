import { TRANSPORT_LABELS, connectionStatusAttributes } from '@chat/client'

/** @param {{ transport: import('@chat/client').Transport }} props */
export function ConnectionStatus({ transport }) {
  return (
    <span className={`status status-${transport}`} {...connectionStatusAttributes(transport)} role="status">
      <span className="status-dot" aria-hidden="true" />
      {TRANSPORT_LABELS[transport]}
    </span>
  )
}
