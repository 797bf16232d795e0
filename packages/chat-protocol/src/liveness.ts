/**
 * How long an answer may go without progress. The backend sweeps every ANSWER_SWEEP_SECONDS and fails (code
 * `interrupted`) an answer in progress whose item has not changed for ANSWER_STALL_SECONDS; a live generation
 * rewrites its item at least every provider first-token timeout (10 s by default, 6 s in the stack), so it is never
 * mistaken for a stalled one.
 */
export const ANSWER_STALL_SECONDS = 20
export const ANSWER_SWEEP_SECONDS = 5

/** The client shows an answer that has shown no sign of life for this long as failed: the backend's bound, one sweep, a margin. */
export const CLIENT_ANSWER_STALL_SECONDS = ANSWER_STALL_SECONDS + ANSWER_SWEEP_SECONDS + 5

/**
 * Each backend instance renews a heartbeat key in Redis every INSTANCE_HEARTBEAT_SECONDS; one whose key is older than
 * INSTANCE_DEAD_AFTER_SECONDS is gone, and the next sweep (by any instance) fails its answers in progress: an
 * instance's answers end within INSTANCE_DEAD_AFTER_SECONDS + ANSWER_SWEEP_SECONDS of its death.
 */
export const INSTANCE_HEARTBEAT_SECONDS = 1
export const INSTANCE_DEAD_AFTER_SECONDS = 4
/** The bound on a dead instance's answers being failed, from its death: its heartbeat lapsing, one sweep, 1 s to spare. */
export const DEAD_INSTANCE_ANSWERS_FAILED_SECONDS = INSTANCE_DEAD_AFTER_SECONDS + ANSWER_SWEEP_SECONDS + 1
