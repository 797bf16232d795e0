/**
 * The SDKs retry 429/5xx/connection errors by default, which would hide a failing provider for seconds.
 * Failover is our job: no SDK retries; our own first-token and idle timeouts abort a slow request
 * long before this overall ceiling.
 */
export const SDK_OPTIONS = { maxRetries: 0, timeout: 60_000 } as const
