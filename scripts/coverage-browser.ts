/**
 * The browser side of `npm run coverage` (scripts/coverage.ts): Chromium's JS coverage of a test's page, added to
 * the run's monocart cache (`coverage/.cache`) with the apps' source maps. Used by the `page` fixture (fixtures/test.ts) only while
 * CHAT_COVERAGE (the run's raw coverage folder) is set; otherwise nothing here is loaded.
 */
import type { Page } from '@playwright/test'
import { APP_NAMES, appOrigin } from '@chat/apps'

/** The run's coverage folder (set by scripts/coverage.ts, the report's own); unset: coverage is off. */
export const COVERAGE_DIR = process.env.CHAT_COVERAGE || null

/** The apps' own scripts (bundles and chunks they serve), not inline scripts, extensions or other origins. */
const APP_SCRIPT = new RegExp(`^(${APP_NAMES.map((name) => appOrigin(name).replaceAll('.', '\\.')).join('|')})/.+\\.m?js(\\?.*)?$`)

export const startPageCoverage = async (page: Page) => {
  await page.coverage.startJSCoverage({ resetOnNavigation: false })
}

/**
 * Stops the page's coverage and adds its apps' scripts to the cache (monocart fetches each script's source map from
 * the app's server, which is still up). A page the test closed has nothing left to give.
 */
export const stopPageCoverage = async (page: Page, coverageDir: string) => {
  if (page.isClosed()) return
  const entries = await page.coverage.stopJSCoverage().catch(() => [])
  const own = entries.filter((entry) => APP_SCRIPT.test(entry.url))
  if (own.length === 0) return
  const { CoverageReport } = await import('monocart-coverage-reports')
  await new CoverageReport({ outputDir: coverageDir, logging: 'error' }).add(own)
}
