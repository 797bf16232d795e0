import { TEST_IDS } from '@chat/client'

/** @param {{ message: string, canRetry: boolean, onRetry: () => void }} props */
export function ErrorBanner({ message, canRetry, onRetry }) {
  return (
    <div className="error-banner" data-testid={TEST_IDS.errorBanner} role="alert">
      <span>{message}</span>
      {canRetry && (
        <button type="button" data-testid={TEST_IDS.retryButton} onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}
