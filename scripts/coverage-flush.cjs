/**
 * `npm run coverage` only (scripts/coverage.ts preloads it into every Node process with NODE_OPTIONS=--require):
 * on SIGUSR2, write the coverage so far to NODE_V8_COVERAGE (`v8.takeCoverage()`, a file
 * `coverage-<pid>-<time>-<thread>.json`; the counters start again, and the exit writes the rest). A process the
 * faults project SIGKILLs never reaches its exit, so fixtures/faults/stack-faults.ts sends SIGUSR2 first and waits
 * for that file. Without NODE_V8_COVERAGE (a server the run does not measure, a nested stack) it does nothing.
 */
'use strict'
if (process.env.NODE_V8_COVERAGE) {
  const v8 = require('node:v8')
  process.on('SIGUSR2', () => v8.takeCoverage())
}
