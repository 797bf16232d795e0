import { chromium, expect, test } from '@playwright/test'
import { chromiumExecutablePath, type BrowserLookup } from '../../fixtures/stack/chromium'

const debian: BrowserLookup = {
  env: {},
  exists: (path) => path === '/usr/bin/chromium' || path === '/usr/bin/chromium-headless-shell',
}

test("a headless run takes the system's headless shell, a headed run its full browser", () => {
  expect(chromiumExecutablePath(true, debian)).toBe('/usr/bin/chromium-headless-shell')
  expect(chromiumExecutablePath(false, debian)).toBe('/usr/bin/chromium')
})

test('without the headless shell, a headless run takes the full browser', () => {
  const chromiumOnly: BrowserLookup = { env: {}, exists: (path) => path === '/usr/bin/chromium' }
  expect(chromiumExecutablePath(true, chromiumOnly)).toBe('/usr/bin/chromium')
})

test("CHROMIUM_PATH comes first, then Playwright's own browser (left for Playwright to pick)", () => {
  expect(chromiumExecutablePath(true, { ...debian, env: { CHROMIUM_PATH: '/opt/chrome' } })).toBe('/opt/chrome')
  const withOwn: BrowserLookup = { env: {}, exists: (path) => path === chromium.executablePath() || debian.exists(path) }
  expect(chromiumExecutablePath(true, withOwn)).toBeUndefined()
})
