/**
 * `npm run coverage [-- <playwright args>]`: the whole suite (`npx playwright test`, every project unless the
 * arguments say otherwise) with V8 coverage of every Node process it starts — the stack (scripts/stack*.ts), the
 * backend instances (`motia start` and whatever they spawn), the fake LLM, Playwright's workers (the unit specs) —
 * and of the browser side of every app (Chromium's JS coverage of each test's `page`, fixtures/test.ts), mapped
 * through source maps to the sources under `apps/`, `packages/`, `fixtures/fake-llm/` and `scripts/`, and merged by
 * monocart-coverage-reports into one report in `coverage/`: `index.html` (per file, line by line), `summary.md` (per
 * package, lines and branches, and the files of apps/backend/lib, packages/chat-client/src and scripts/stack*.ts
 * under 80% branches), `coverage-summary.json`, `lcov.info`. docs/REVIEWING.md, "Coverage".
 *
 * Nothing of it runs without this script: CHAT_COVERAGE (the report's folder) turns on the page hook, the apps'
 * source maps and a stack of the run's own (fixtures/stack/global-setup.ts), and NODE_V8_COVERAGE the Node side.
 * Coverage is written when a process exits; a service the faults project SIGKILLs is first asked to write what it
 * covered so far (SIGUSR2, scripts/coverage-flush.cjs, preloaded into every Node process of the run).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_NAMES, APPS } from '@chat/apps'
import { CoverageReport, type CoverageFile } from 'monocart-coverage-reports'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUT = path.join(ROOT, 'coverage')
const NODE_RAW = path.join(OUT, 'raw-node')
/** The TypeScript jiti ran, as it ran (scripts/coverage-flush.cjs): `<pid>-<hash>.json`. */
const JITI_SOURCES = path.join(OUT, 'raw-jiti')
const BRANCH_BAR = 80

/** The report's packages, in this order: a file belongs to the first whose pattern matches its path. */
const PACKAGES: { name: string; match: RegExp }[] = [
  { name: 'apps/backend', match: /^apps\/backend\// },
  { name: 'packages/chat-client', match: /^packages\/chat-client\// },
  { name: 'packages/chat-protocol', match: /^packages\/chat-protocol\// },
  { name: 'packages/chat-apps', match: /^packages\/chat-apps\// },
  { name: 'fixtures/fake-llm', match: /^fixtures\/fake-llm\// },
  ...APP_NAMES.map((name) => ({
    name: APPS[name].dir,
    match: new RegExp(`^${APPS[name].dir.replaceAll('.', '\\.')}/`),
  })),
  { name: 'scripts/stack*.ts', match: /^scripts\/stack[^/]*\.ts$/ },
]
/** The folders whose files under 80% branches are listed (issue 27), and the files that must be there. */
const BRANCH_WATCH: { name: string; match: RegExp; dir: string; file: RegExp }[] = [
  { name: 'apps/backend/lib', match: /^apps\/backend\/lib\//, dir: 'apps/backend/lib', file: /\.ts$/ },
  { name: 'packages/chat-client/src', match: /^packages\/chat-client\/src\//, dir: 'packages/chat-client/src', file: /\.tsx?$/ },
  { name: 'scripts/stack*.ts', match: /^scripts\/stack[^/]*\.ts$/, dir: 'scripts', file: /^scripts\/stack[^/]*\.ts$/ },
]

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number => {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env })
  return result.status ?? 1
}

const must = (what: string, status: number) => {
  if (status !== 0) {
    console.error(`[coverage] ${what} failed (exit ${status})`)
    process.exit(status)
  }
}

/** Every file under `dir` (from the repository's root), but node_modules and .d.ts. */
const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('node_modules'))

const pct = (covered: number, total: number) => (total === 0 ? '—' : `${((covered / total) * 100).toFixed(1)}%`)

const summarize = (files: CoverageFile[], elapsedS: number, playwrightStatus: number): string => {
  const lines: string[] = []
  lines.push('# Coverage', '')
  lines.push(`\`npm run coverage\` (${process.argv.slice(2).join(' ') || 'every project'}), ${new Date().toISOString()}, ${(elapsedS / 60).toFixed(1)} min, playwright exit ${playwrightStatus}.`, '')
  lines.push('| package | files | lines | branches |', '|---|---:|---:|---:|')
  for (const pkg of PACKAGES) {
    const own = files.filter((file) => pkg.match.test(file.sourcePath))
    const sum = (metric: 'lines' | 'branches', key: 'covered' | 'total') => own.reduce((n, file) => n + (file.summary[metric]?.[key] ?? 0), 0)
    const l = [sum('lines', 'covered'), sum('lines', 'total')] as const
    const b = [sum('branches', 'covered'), sum('branches', 'total')] as const
    lines.push(`| ${pkg.name} | ${own.length} | ${pct(...l)} (${l[0]}/${l[1]}) | ${pct(...b)} (${b[0]}/${b[1]}) |`)
  }
  for (const watch of BRANCH_WATCH) {
    const own = files.filter((file) => watch.match.test(file.sourcePath))
    const seen = new Set(own.map((file) => file.sourcePath))
    const low = own
      .filter((file) => (file.summary.branches?.total ?? 0) > 0 && (file.summary.branches.covered / file.summary.branches.total) * 100 < BRANCH_BAR)
      .sort((a, b) => a.summary.branches.covered / a.summary.branches.total - b.summary.branches.covered / b.summary.branches.total)
    const unloaded = filesUnder(watch.dir).filter((file) => watch.file.test(watch.dir === 'scripts' ? file : path.basename(file)) && !seen.has(file))
    lines.push('', `## ${watch.name}: files under ${BRANCH_BAR}% branches`, '')
    if (low.length === 0 && unloaded.length === 0) lines.push('none')
    else {
      lines.push('| file | lines | branches |', '|---|---:|---:|')
      for (const file of low) {
        const { lines: l, branches: b } = file.summary
        lines.push(`| ${file.sourcePath} | ${pct(l.covered, l.total)} | ${pct(b.covered, b.total)} (${b.covered}/${b.total}) |`)
      }
      for (const file of unloaded.sort()) lines.push(`| ${file} | not loaded by any process of the run | 0% |`)
    }
  }
  return `${lines.join('\n')}\n`
}

const main = async () => {
  const startedAt = Date.now()
  const args = process.argv.slice(2)
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(NODE_RAW, { recursive: true })
  // JITI_SOURCE_MAPS: Motia loads motia.config.ts (and the lib files it imports) through jiti, which then keeps a
  // source map in the code it runs, as esbuild does in the steps it compiles.
  const env = { ...process.env, CHAT_COVERAGE: OUT, JITI_SOURCE_MAPS: '1' }

  // The shared protocol package as the backend and the bundlers read it, with its source map (`npm run build`
  // makes it again, without one, only when its sources change).
  must('building @chat/protocol with a source map', run('npm', ['run', '--silent', 'build', '-w', 'packages/chat-protocol', '--', '--sourcemap=inline']))
  // Every app's production build, with source maps (their configs emit them while CHAT_COVERAGE is set). They stay
  // current by scripts/app-builds.ts's rule, so the stack serves them as they are.
  if (process.env.STACK_FRONTENDS !== 'off' && process.env.PW_STACK !== 'off') {
    for (const name of APP_NAMES) {
      const building = Date.now()
      must(`building ${name}`, run('npm', ['run', '--silent', 'build', '-w', APPS[name].dir], env))
      console.log(`[coverage] built ${name} with source maps in ${((Date.now() - building) / 1000).toFixed(1)} s`)
    }
  }

  const testing = Date.now()
  // Every Node process also gets scripts/coverage-flush.cjs: SIGUSR2 writes its coverage so far, which
  // fixtures/faults/stack-faults.ts asks of a service before it SIGKILLs it (a killed process writes none).
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(ROOT, 'scripts/coverage-flush.cjs'))}`].filter(Boolean).join(' ')
  const playwrightStatus = run('npx', ['playwright', 'test', ...args], {
    ...env,
    NODE_V8_COVERAGE: NODE_RAW,
    NODE_OPTIONS: nodeOptions,
    CHAT_COVERAGE_SOURCES: JITI_SOURCES,
  })
  console.log(`[coverage] playwright exited ${playwrightStatus} after ${((Date.now() - testing) / 60_000).toFixed(1)} min; merging the coverage`)

  const report = new CoverageReport({
    name: 'Motia chat: coverage of the suite',
    outputDir: OUT,
    baseDir: ROOT,
    clean: false,
    reports: [['v8', { outputFile: 'index.html', metrics: ['lines', 'branches', 'functions'] }], ['json-summary', { file: 'coverage-summary.json' }], ['lcovonly', { file: 'lcov.info' }]],
    // The repository's own scripts: files of this checkout (the backend's compiled steps included) and the apps' bundles.
    entryFilter: (entry) => {
      const url = entry.url
      if (/^http:\/\/localhost:\d+\//.test(url)) return true
      const file = url.startsWith('file:') ? fileURLToPath(url) : url
      return file.startsWith(`${ROOT}/`) && !file.includes('/node_modules/')
    },
    // What the maps lead to: our sources only (no dependency a bundle carries, no unmapped build output).
    sourceFilter: (raw) => {
      const sourcePath = normalize(raw)
      return (
        // An app's own sources are named relative to its folder; sourcePath below says which app's.
        (/^src\//.test(sourcePath) || /^(apps|packages|fixtures\/fake-llm|scripts)\//.test(sourcePath)) &&
        !/(^|\/)(node_modules|dist|\.next|\.motia)\//.test(sourcePath) &&
        !/\.(css|json)$/.test(sourcePath) &&
        // Turbopack's runtime and CSS modules, named under the app by its maps: not the app's code.
        !/\[turbopack\]|\(css module\)/.test(sourcePath)
      )
    },
    sourcePath: (filePath, info) => normalize(filePath, typeof info?.distFile === 'string' ? info.distFile : undefined),
  })
  // A process killed while it wrote its coverage (the faults project kills services) leaves a file cut short: left out.
  const cutShort = readdirSync(NODE_RAW).filter((name) => {
    try {
      JSON.parse(readFileSync(path.join(NODE_RAW, name), 'utf8'))
      return false
    } catch {
      rmSync(path.join(NODE_RAW, name))
      return true
    }
  })
  if (cutShort.length > 0) console.log(`[coverage] left out ${cutShort.length} coverage file(s) cut short by a killed process`)
  pairJitiSources()
  if (readdirSync(NODE_RAW).length > 0) await report.addFromDir(NODE_RAW)
  const results = await report.generate()
  rmSync(NODE_RAW, { recursive: true, force: true })
  const files = (results?.files ?? []) as CoverageFile[]
  const summary = summarize(files, (Date.now() - startedAt) / 1000, playwrightStatus)
  writeFileSync(path.join(OUT, 'summary.md'), summary)
  console.log(`\n${summary}\n[coverage] coverage/index.html, coverage/summary.md (${files.length} files)`)
  process.exit(playwrightStatus)
}

/**
 * V8 names a script jiti ran (motia.config.ts and the lib files it imports, in each backend instance) by the `.ts`
 * file's URL, and the report would read that file from disk and lay the offsets of the code that ran (transpiled,
 * wrapped) over it: the branches of those files came out as noise. Each process's entries of such a file are renamed
 * to a URL of their own (`…/cors.ts?jiti=<hash>`) whose source is the code that ran, given to the report as a
 * `source-*.json` file (monocart's format); its inline source map leads back to the `.ts` file. The same file run
 * otherwise (a Playwright worker's own transform, with Node's source map) keeps its URL.
 */
const pairJitiSources = (): void => {
  if (!existsSync(JITI_SOURCES)) return
  const renamed = new Map<number, Map<string, string>>()
  for (const name of readdirSync(JITI_SOURCES)) {
    const { pid, url, hash, source } = JSON.parse(readFileSync(path.join(JITI_SOURCES, name), 'utf8')) as { pid: number; url: string; hash: string; source: string }
    const ran = `${url}?jiti=${hash}`
    const sourceFile = path.join(NODE_RAW, `source-jiti-${hash}.json`)
    // jiti ends the map's comment with a cache marker (`… /* v9-<hash> */`) that the map's reader would take for base64:
    // blanked, at the same length, so V8's offsets still fit.
    const readable = source.replace(/(sourceMappingURL=data:\S+)( \/\*[^*\n]*\*\/)/, (_, comment: string, marker: string) => comment + ' '.repeat(marker.length))
    if (!existsSync(sourceFile)) writeFileSync(sourceFile, JSON.stringify({ url: ran, source: readable }))
    if (!renamed.has(pid)) renamed.set(pid, new Map())
    renamed.get(pid)!.set(url, ran)
  }
  let entries = 0
  for (const name of readdirSync(NODE_RAW)) {
    const urls = renamed.get(Number(/^coverage-(\d+)-/.exec(name)?.[1]))
    if (!urls) continue
    const file = path.join(NODE_RAW, name)
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { result: { url: string }[] }
    for (const entry of raw.result) {
      const ran = urls.get(entry.url)
      if (ran) {
        entry.url = ran
        entries += 1
      }
    }
    writeFileSync(file, JSON.stringify(raw))
  }
  rmSync(JITI_SOURCES, { recursive: true, force: true })
  console.log(`[coverage] ${entries} coverage entries of TypeScript run by jiti paired with the code that ran`)
}

/**
 * One path per source file, from the repository's root, whichever process or bundle it came through: maps name
 * sources relative to their bundle (`localhost-5173/…/packages/…`), or with a bundler's prefix (Turbopack's
 * `[project]/…`, webpack's `webpack://…`).
 */
const normalize = (filePath: string, distFile?: string): string => {
  const clean = filePath.replace(/^(webpack|turbopack):\/+/, '').replace(/\[project\]\//, '')
  const at = clean.search(/(^|\/)(apps|packages|fixtures|scripts)\//)
  if (at < 0) {
    // An app's own source, named relative to the app's folder (`src/App.jsx`): the app is the one its bundle came from
    // (`localhost-5173/assets/index-….js`).
    const served = /^localhost-(\d+)\//.exec(distFile ?? '')
    const app = served ? APP_NAMES.find((name) => APPS[name].port === Number(served[1])) : undefined
    return app ? `${APPS[app].dir}/${clean}` : clean
  }
  const rel = clean.slice(at).replace(/^\//, '')
  return existsSync(path.join(ROOT, rel)) || !existsSync(path.join(ROOT, clean)) ? rel : clean
}

void main()
