/**
 * `npm run coverage` only: scripts/coverage.ts preloads this into every Node process of the run
 * (NODE_OPTIONS=--require). Without NODE_V8_COVERAGE (a server the run does not measure, a nested stack) it does nothing.
 *
 * - SIGUSR2 writes the coverage so far to NODE_V8_COVERAGE (`v8.takeCoverage()`: a file
 *   `coverage-<pid>-<time>-<thread>.json`; the counters start again, and the exit writes the rest). A process the
 *   faults project SIGKILLs never reaches its exit, so fixtures/faults/stack-faults.ts sends SIGUSR2 first and waits
 *   for that file.
 * - TypeScript that jiti runs (Motia loads motia.config.ts, and every lib file it imports, through jiti's
 *   `vm.runInThisContext`) is recorded as it ran, with its inline source map, in CHAT_COVERAGE_SOURCES: V8 reports
 *   such a script under the `.ts` file's own URL, and Node keeps no source map for a vm script, so without the code
 *   that ran the report would lay its offsets over the TypeScript source (scripts/coverage.ts pairs them again).
 */
'use strict'
if (process.env.NODE_V8_COVERAGE) {
  const v8 = require('node:v8')
  process.on('SIGUSR2', () => v8.takeCoverage())

  const sources = process.env.CHAT_COVERAGE_SOURCES
  if (sources) {
    const { createHash } = require('node:crypto')
    const { mkdirSync, writeFileSync } = require('node:fs')
    const path = require('node:path')
    const { pathToFileURL } = require('node:url')
    const vm = require('node:vm')
    const runInThisContext = vm.runInThisContext
    vm.runInThisContext = function (code, options) {
      const filename = typeof options === 'string' ? options : options && options.filename
      if (
        typeof filename === 'string' &&
        path.isAbsolute(filename) &&
        /\.[cm]?tsx?$/.test(filename) &&
        !filename.includes('/node_modules/') &&
        String(code).includes('sourceMappingURL=data:')
      ) {
        const hash = createHash('sha1').update(String(code)).digest('hex').slice(0, 16)
        mkdirSync(sources, { recursive: true })
        writeFileSync(path.join(sources, `${process.pid}-${hash}.json`), JSON.stringify({ pid: process.pid, url: pathToFileURL(filename).href, hash, source: String(code) }))
      }
      return runInThisContext.apply(this, arguments)
    }
  }
}
