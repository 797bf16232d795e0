/** @param {{ message: string, onRetry: () => void }} props */
export function ErrorBanner({ message, onRetry }) {
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      <span>{message}</span>
      <button type="button" data-testid="retry-button" onClick={onRetry}>
        Retry
      </button>
    </div>
  )
}
