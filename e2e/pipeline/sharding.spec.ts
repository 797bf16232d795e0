import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { runForJsonReport, runPlaywright, type ReportedTest } from '../../fixtures/pipeline/playwright-cli'

const keysOf = (tests: ReportedTest[]) => tests.map((t) => t.key)

test("CI's four shards together hold every test of the suite but the faults project's exactly once", async ({}, testInfo) => {
  // Five listings of the whole suite, each a Playwright start that loads every spec file: seconds each on a busy machine.
  test.setTimeout(90_000)
  // CI shards the suite without the faults project (PW_FAULTS=off), which runs in a job of its own.
  const list = async (name: string, args: string[]) =>
    keysOf(await runForJsonReport(['test', '--list', '--reporter=json', ...args], testInfo.outputPath(`${name}.json`), { PW_FAULTS: 'off' }))
  const all = await list('all', [])
  // One after the other: four at once would take both cores from the browser tests running beside this one.
  const shards: string[][] = []
  for (const i of [1, 2, 3, 4]) shards.push(await list(`shard-${i}`, [`--shard=${i}/4`]))

  expect(new Set(all).size, 'no two tests share a key').toBe(all.length)
  for (const shard of shards) expect(shard.length, 'every shard gets a share').toBeGreaterThan(all.length / 8)
  const sharded = shards.flat()
  expect(sharded.toSorted()).toEqual(all.toSorted())
  testInfo.annotations.push({ type: 'shard sizes', description: `${shards.map((s) => s.length).join(' + ')} = ${all.length}` })
})

test('two shards run one after the other merge into one report that holds each test once, passed', async ({}, testInfo) => {
  test.setTimeout(60_000)
  // The pure-function unit specs: many tests in two files, done in milliseconds, needing no stack.
  const project = ['--project', 'unit', '--workers=1', 'e2e/unit/chat-reducer.spec.ts', 'e2e/unit/word-reveal.spec.ts']
  const merged = testInfo.outputPath('all-blob-reports')
  mkdirSync(merged)

  const shards: string[][] = []
  for (const shard of [1, 2]) {
    const blobDir = testInfo.outputPath(`blob-${shard}`)
    const ran = await test.step(`shard ${shard}/2`, () =>
      runForJsonReport(
        ['test', ...project, `--shard=${shard}/2`, '--reporter=blob,json', '--output', testInfo.outputPath(`results-${shard}`)],
        testInfo.outputPath(`shard-${shard}.json`),
        { PLAYWRIGHT_BLOB_OUTPUT_DIR: blobDir },
      ),
    )
    shards.push(keysOf(ran))
    for (const blob of readdirSync(blobDir)) copyFileSync(path.join(blobDir, blob), path.join(merged, blob))
  }
  expect(shards[0]!.filter((key) => shards[1]!.includes(key)), 'the shards ran disjoint tests').toEqual([])

  const everyTest = keysOf(await runForJsonReport(['test', ...project, '--list', '--reporter=json'], testInfo.outputPath('expected.json')))
  const reported = await test.step('merge-reports → json', () =>
    runForJsonReport(['merge-reports', '--reporter=json', merged], testInfo.outputPath('merged.json')),
  )
  expect(keysOf(reported).toSorted()).toEqual(everyTest.toSorted())
  expect(reported.filter((t) => t.status !== 'expected')).toEqual([])

  // Exactly as the CI workflow merges: one HTML report, and the summary ending in the line `.ci/run` prints.
  const htmlDir = testInfo.outputPath('html-report')
  const asCi = await test.step('merge-reports --config playwright.merge.config.ts', () =>
    runPlaywright(['merge-reports', '--config', 'playwright.merge.config.ts', merged], { PLAYWRIGHT_HTML_OUTPUT_DIR: htmlDir }),
  )
  expect(asCi.code, asCi.output).toBe(0)
  expect(existsSync(path.join(htmlDir, 'index.html'))).toBe(true)
  expect(asCi.output.trimEnd().split('\n').at(-1)).toBe(`e2e: ${everyTest.length} passed, 0 failed, 0 skipped`)
  testInfo.annotations.push({ type: 'shards', description: `${shards[0]!.length} + ${shards[1]!.length} unit tests, merged: ${reported.length}` })
})
