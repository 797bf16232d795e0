// @ts-check
/**
 * The frontends, one line each. The stack starts each on its port, the backend admits their origins by default
 * (CORS and socket upgrades), the Vite configs listen on their port, Playwright runs one project per app and the
 * summary reporter gives each a column. A new frontend is its folder under `apps/` and one line in `APPS`.
 *
 * Plain JavaScript, on purpose: Node loads it as it is wherever it is imported, with nothing to build first. Vite's
 * config loader hands every package import to Node, Motia compiles only the backend's own files (packages are
 * Node's), and `scripts/setup.sh` reads it with `node -e`.
 */

/** How each kind of app is built and served. */
export const FRAMEWORKS = /** @type {const} */ ({
  next: { buildOutput: '.next/BUILD_ID', hostFlag: '--hostname' },
  vite: { buildOutput: 'dist/index.html', hostFlag: '--host' },
})

/** @typedef {{ port: number, framework: keyof typeof FRAMEWORKS, dir: string }} App */

export const APPS = /** @satisfies {Record<string, App>} */ (
  /** @type {const} */ ({
    web: { port: 3001, framework: 'next', dir: 'apps/web' },
    'web-a': { port: 5173, framework: 'vite', dir: 'apps/web-a' },
    'web-b': { port: 5174, framework: 'vite', dir: 'apps/web-b' },
    'web-c': { port: 5175, framework: 'vite', dir: 'apps/web-c' },
  })
)

/** @typedef {keyof typeof APPS} AppName */

export const APP_NAMES = /** @type {AppName[]} */ (Object.keys(APPS))

/** Where the browser finds the app (its origin). @param {AppName} name */
export const appOrigin = (name) => `http://localhost:${APPS[name].port}`

/** The app's port, refused when busy (Vite's `server` and `preview`). @param {AppName} name */
export const appServer = (name) => ({ port: APPS[name].port, strictPort: true })
