/**
 * `npx tsx scripts/capture-screenshots.ts` with a stack running: one screenshot per app with an answer streamed
 * (docs/screenshots/<app>.png), and one of the HTML report if `playwright-report/` exists (docs/screenshots/report.png).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { SESSION_STORAGE_KEY } from '@chat/client'
import { FakeLlmControl } from '../fixtures/fake-llm/src/control-client'
import { APP_NAMES, appOrigin } from '@chat/apps'
import { CHROMIUM_ARGS, chromiumExecutablePath } from '../fixtures/stack/chromium'
import { FAKE_LLM_URL } from '../fixtures/stack/urls'
import { ROOT } from './stack-env'
import { readStackSecrets } from './stack-secrets'

const OUT = path.join(ROOT, 'docs', 'screenshots')
const REPLY =
  'Motia streams each token over its WebSocket stream as the model writes it.\nIf the socket is blocked, the client polls and still reveals the answer word by word; <b>markup</b> stays text.'

const main = async () => {
  mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(true), args: CHROMIUM_ARGS })
  const fake = new FakeLlmControl(FAKE_LLM_URL, readStackSecrets().FAKE_LLM_CONTROL_TOKEN)
  for (const app of APP_NAMES) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } })
    await page.goto(`${appOrigin(app)}/`)
    await page.getByTestId('connection-status').and(page.locator('[data-transport="websocket"]')).waitFor()
    // The app asked the backend for its session; its user is the one to script.
    const userId = (await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}') as { userId?: string }, SESSION_STORAGE_KEY)).userId ?? ''
    await fake.script({ userId, provider: 'openai', failure: { kind: 'http_500', afterTokens: 0 } })
    await fake.script({ userId, provider: 'anthropic', reply: REPLY })
    await page.getByTestId('chat-input').fill('How does the answer reach my screen?')
    await page.getByTestId('send-button').click()
    await page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="complete"]').waitFor()
    await page.screenshot({ path: path.join(OUT, `${app}.png`) })
    await page.close()
  }
  const report = path.join(ROOT, 'playwright-report')
  if (existsSync(path.join(report, 'index.html'))) {
    const server = createServer((req, res) => {
      const file = path.join(report, decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/$/, '/index.html')))
      const type = file.endsWith('.svg') ? 'image/svg+xml' : file.endsWith('.html') ? 'text/html' : 'application/octet-stream'
      import('node:fs').then(({ createReadStream }) =>
        createReadStream(file)
          .on('open', () => res.writeHead(200, { 'content-type': type }))
          .on('error', () => res.writeHead(404).end())
          .pipe(res),
      )
    }).listen(9323)
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto('http://localhost:9323/#?q=progressive')
    await page.getByText('tokens render progressively').first().waitFor()
    await page.screenshot({ path: path.join(OUT, 'report.png') })
    await page.getByText('tokens render progressively').first().click()
    await page.getByText('stream-timeline-').first().click()
    await page.locator('img[src*="svg"]').first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(OUT, 'report-test.png'), fullPage: false })
    server.close()
  }
  await browser.close()
}

void main()
