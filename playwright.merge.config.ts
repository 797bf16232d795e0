import { defineConfig } from '@playwright/test'

/** `npx playwright merge-reports --config playwright.merge.config.ts <blob dir>`: one HTML report and the matrix. */
export default defineConfig({
  testDir: './e2e',
  reporter: [['html', { open: 'never' }], ['./fixtures/reporters/summary-reporter.ts']],
})
