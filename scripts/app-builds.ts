/**
 * When a frontend's production build must be made again, and making it: one rule, used by `npm run setup`
 * (`tsx scripts/app-builds.ts`), by the stack before it serves the builds, and by the suite before it reuses a running
 * stack (`fixtures/stack/global-setup.ts`).
 *
 * An app's build is stale when a file among its **inputs** is newer than its build output (the registry's
 * `FRAMEWORKS[framework].buildOutput`, e.g. `dist/index.html`, `.next/BUILD_ID`). Its inputs:
 * - every file of its folder but the build's own folder (`dist`, `.next`), `node_modules` and what its tools write
 *   there themselves (`*.tsbuildinfo`, `next-env.d.ts`): sources, `index.html`, `public/`, every config, `.env*`;
 * - every file of the workspace packages it uses (its `dependencies`/`devDependencies`, and theirs), but their
 *   `node_modules` and built folders (`@chat/client`, `@chat/protocol`, `@chat/apps`);
 * - the lockfile (`package-lock.json`): another version of a dependency is another build.
 * A used package with a `build` script (`@chat/protocol`: its `dist/index.js`, what bundlers import) is built first by
 * the same rule. Not an input: the environment of the build (`VITE_*`, `NEXT_PUBLIC_*`), which no file records.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_NAMES, APPS, FRAMEWORKS, type AppName } from '@chat/apps'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOCKFILE = 'package-lock.json'
/** Files an app's own tools write into its folder (type-check caches, Next's generated types): never inputs. */
const GENERATED = [/\.tsbuildinfo$/, /^next-env\.d\.ts$/, /\.timestamp-\d+-[\w]+\.mjs$/]

export interface NewestInput {
  /** From the repository's root. */
  file: string
  mtimeMs: number
}

export interface BuildState {
  /** The app's (or package's) name and folder, from the repository's root. */
  name: string
  dir: string
  /** The file whose time is the build's, from the repository's root. */
  output: string
  /** When it was built; null: never. */
  builtAtMs: number | null
  /** The newest of its inputs. */
  newest: NewestInput
  stale: boolean
  /** Why it is (or is not) stale, in a line: names the newer input. */
  why: string
}

const rel = (file: string) => path.relative(ROOT, file)
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')

/** The newest file under `dir` (recursively), leaving out folders named in `skipDirs` (by name, at any depth). */
const newestUnder = (dir: string, skipDirs: Set<string>, newest: NewestInput = { file: '', mtimeMs: 0 }): NewestInput => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) newestUnder(full, skipDirs, newest)
    } else if (!GENERATED.some((pattern) => pattern.test(entry.name))) {
      const { mtimeMs } = statSync(full)
      if (mtimeMs > newest.mtimeMs) Object.assign(newest, { file: rel(full), mtimeMs })
    }
  }
  return newest
}

const newestOf = (candidates: NewestInput[]): NewestInput => candidates.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a))

interface PackageJson {
  name?: string
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  exports?: unknown
  workspaces?: string[]
}

const readPackage = (dir: string): PackageJson => JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson

/** The workspace packages by name (`@chat/client` → `packages/chat-client`), from the root's `workspaces`. */
const workspaces = (): Map<string, string> => {
  const dirs = (readPackage('.').workspaces ?? []).flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => path.join(pattern.slice(0, -2), entry.name))
      : [pattern],
  )
  const byName = new Map<string, string>()
  for (const dir of dirs) {
    if (!existsSync(path.join(ROOT, dir, 'package.json'))) continue
    const { name } = readPackage(dir)
    if (name) byName.set(name, dir)
  }
  return byName
}

/** The workspace packages `dir`'s package uses, directly or through one another (folders, in no particular order). */
const usedPackages = (dir: string, all = workspaces(), seen = new Set<string>()): string[] => {
  const { dependencies = {}, devDependencies = {} } = readPackage(dir)
  for (const name of Object.keys({ ...dependencies, ...devDependencies })) {
    const used = all.get(name)
    if (used === undefined || seen.has(used)) continue
    seen.add(used)
    usedPackages(used, all, seen)
  }
  return [...seen]
}

/** What a package with a `build` script builds (its `exports['.'].default`, e.g. `dist/index.js`); null: it builds nothing. */
const packageOutput = (dir: string): string | null => {
  const pkg = readPackage(dir)
  if (!pkg.scripts?.build) return null
  const main = pkg.exports && typeof pkg.exports === 'object' ? (pkg.exports as Record<string, unknown>)['.'] : undefined
  const target = typeof main === 'string' ? main : main && typeof main === 'object' ? (main as Record<string, unknown>).default : undefined
  if (typeof target !== 'string') throw new Error(`${dir} has a build script but no exports['.'].default naming what it builds`)
  return path.normalize(target)
}

/** A package's own files, but its node_modules and the folder it builds into. */
const packageFiles = (dir: string): NewestInput => {
  const output = packageOutput(dir)
  const skip = new Set(['node_modules', ...(output ? [output.split(path.sep)[0]!] : [])])
  return newestUnder(path.join(ROOT, dir), skip)
}

const state = (name: string, dir: string, output: string, newest: NewestInput): BuildState => {
  const full = path.join(ROOT, dir, output)
  const builtAtMs = existsSync(full) ? statSync(full).mtimeMs : null
  const stale = builtAtMs === null || newest.mtimeMs > builtAtMs
  const why =
    builtAtMs === null
      ? `no build yet (${rel(full)})`
      : stale
        ? `${newest.file} (${time(newest.mtimeMs)}) is newer than its build ${rel(full)} (${time(builtAtMs)})`
        : `built ${time(builtAtMs)}, after its newest input ${newest.file} (${time(newest.mtimeMs)})`
  return { name, dir, output: rel(full), builtAtMs, newest, stale, why }
}

/** An app of the registry whose folder is not an npm package cannot be built nor served: a mistake, never skipped. */
export const checkAppFolder = (name: AppName): void => {
  const { dir } = APPS[name]
  if (!existsSync(path.join(ROOT, dir, 'package.json'))) {
    throw new Error(
      `${name}: packages/chat-apps/apps.js places it in ${dir}, which has no package.json. ` +
        'Every app of the registry is built, served and tested: add its folder (a workspace with build, dev and start scripts), or remove its line.',
    )
  }
}

/** The state of an app's production build (see the top of this file for its inputs). */
export const appBuildState = (name: AppName): BuildState => {
  checkAppFolder(name)
  const { dir, framework } = APPS[name]
  const output = FRAMEWORKS[framework].buildOutput
  const own = newestUnder(path.join(ROOT, dir), new Set(['node_modules', output.split('/')[0]!]))
  const lockfile = { file: LOCKFILE, mtimeMs: statSync(path.join(ROOT, LOCKFILE)).mtimeMs }
  const newest = newestOf([own, lockfile, ...usedPackages(dir).map(packageFiles)])
  return state(name, dir, output, newest)
}

/** The built workspace packages `apps` use (`@chat/protocol`), each with the state of its build. */
const packageBuildStates = (apps: readonly AppName[]): BuildState[] => {
  const dirs = [...new Set(apps.flatMap((name) => usedPackages(APPS[name].dir)))].sort()
  return dirs.flatMap((dir) => {
    const output = packageOutput(dir)
    return output ? [state(readPackage(dir).name ?? dir, dir, output, packageFiles(dir))] : []
  })
}

const build = (target: BuildState, log: (line: string) => void): void => {
  log(`building ${target.name}: ${target.why}`)
  const startedAt = Date.now()
  const run = spawnSync('npm', ['run', '--silent', 'build', '-w', target.dir], { cwd: ROOT, encoding: 'utf8', env: process.env })
  if (run.status !== 0) {
    throw new Error(`building ${target.name} failed (npm run build -w ${target.dir}, exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`)
  }
  log(`built ${target.name} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
}

/**
 * Builds, one after the other, the used packages and then the apps whose build is stale, saying for each which
 * input made it so; throws when a build fails (with its output). Returns the names of what it built.
 */
export const buildStale = (apps: readonly AppName[] = APP_NAMES, log: (line: string) => void = (line) => console.log(`[build] ${line}`)): string[] => {
  const built: string[] = []
  for (const target of packageBuildStates(apps)) {
    if (!target.stale) continue
    build(target, log)
    built.push(target.name)
  }
  for (const name of apps) {
    const target = appBuildState(name)
    if (!target.stale) continue
    build(target, log)
    built.push(target.name)
  }
  return built
}

// `tsx scripts/app-builds.ts`: build what is stale (npm run setup). `--check`: only say, exit 1 when any is.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--check')) {
      const states = [...packageBuildStates(APP_NAMES), ...APP_NAMES.map(appBuildState)]
      for (const s of states) console.log(`${s.stale ? 'stale' : 'fresh'}  ${s.name}: ${s.why}`)
      process.exitCode = states.some((s) => s.stale) ? 1 : 0
    } else {
      buildStale()
    }
  } catch (error) {
    console.error(`[build] ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
