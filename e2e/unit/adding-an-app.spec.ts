import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import * as client from '@chat/client'
import { TEST_IDS, TRANSPORT_LABELS, type ChatClientOptions, type ChatController } from '@chat/client'

// docs/ADDING-AN-APP.md checked against the code it describes, so it cannot drift: the UI contract's ids and labels,
// the backend URL variables the apps read, the controller's options and methods, and what its example app imports.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const GUIDE = 'docs/ADDING-AN-APP.md'
const guide = readFileSync(path.join(ROOT, GUIDE), 'utf8')

/** The guide's table rows (`| a | b | … |`), each as its trimmed cells. */
const rows = guide
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))

/** The row whose first cells are exactly these. */
const rowStarting = (...cells: string[]) => rows.find((row) => cells.every((cell, i) => row[i] === cell))

// Type-checked both ways (`npx tsc`): a method or option added to the interface and not listed here fails the
// type-check, and this spec then fails until the guide documents it.
const CONTROLLER_METHODS = ['getState', 'subscribe', 'send', 'retry', 'newChat', 'renewSession', 'close'] as const satisfies readonly (keyof ChatController)[]
const CONTROLLER_OPTIONS = ['baseUrl', 'session', 'storage', 'connectTimeoutMs', 'pollIntervalMs', 'logger'] as const satisfies readonly (keyof ChatClientOptions)[]
type Unlisted = Exclude<keyof ChatController, (typeof CONTROLLER_METHODS)[number]> | Exclude<keyof ChatClientOptions, (typeof CONTROLLER_OPTIONS)[number]>
const everyOneListed: [Unlisted] extends [never] ? true : Unlisted = true

test('the guide lists every data-testid of TEST_IDS, with its key', () => {
  expect(everyOneListed).toBe(true)
  for (const [key, id] of Object.entries(TEST_IDS)) expect(rowStarting(`\`${key}\``, `\`${id}\``), `${GUIDE}: a row | \`${key}\` | \`${id}\` | …`).toBeDefined()
  const listed = rows.filter((row) => /^`[a-zA-Z]+`$/.test(row[0] ?? '') && /^`[a-z-]+`$/.test(row[1] ?? '') && row[1]!.includes('-'))
  expect(listed.map((row) => row[1]!.slice(1, -1)).toSorted(), 'no id the code does not have').toEqual(Object.values(TEST_IDS).toSorted())
})

test('the guide gives every transport its label, as TRANSPORT_LABELS does', () => {
  for (const [transport, label] of Object.entries(TRANSPORT_LABELS)) {
    expect(rowStarting(`\`${transport}\``, `\`${label}\``), `${GUIDE}: a row | \`${transport}\` | \`${label}\` |`).toBeDefined()
  }
})

test("the guide names every backend URL variable an app's source reads", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? sources(full) : /\.(m?[jt]sx?)$/.test(name) ? [full] : []
    })
  const apps = readdirSync(path.join(ROOT, 'apps')).filter((app) => app !== 'backend' && statSync(path.join(ROOT, 'apps', app, 'src'), { throwIfNoEntry: false })?.isDirectory())
  const variables = new Set<string>()
  for (const app of apps) {
    for (const file of sources(path.join(ROOT, 'apps', app, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:import\.meta\.env|process\.env)\.((?:VITE|NEXT_PUBLIC)_\w+)/g)) variables.add(match[1]!)
    }
  }
  expect([...variables].toSorted()).toEqual(['NEXT_PUBLIC_MOTIA_URL', 'VITE_MOTIA_URL'])
  for (const variable of variables) expect(guide, `${GUIDE} names ${variable}`).toContain(`\`${variable}\``)
})

test("the guide lists the controller's every option and method", () => {
  for (const name of [...CONTROLLER_OPTIONS, ...CONTROLLER_METHODS]) {
    expect(rows.some((row) => row[0] === `\`${name}\`` || row[0]?.startsWith(`\`${name}(`)), `${GUIDE}: a row for ${name}`).toBe(true)
  }
})

test("the example app imports only what @chat/client exports, and README links the guide", () => {
  const main = /```ts file=src\/main\.ts\n([\s\S]*?)\n```/.exec(guide)?.[1]
  expect(main, 'the example has src/main.ts').toBeDefined()
  const names = /import \{([\s\S]*?)\} from '@chat\/client'/.exec(main!)![1]!
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name && !name.startsWith('type '))
  expect(names.length).toBeGreaterThan(5)
  for (const name of names) expect(Object.keys(client), `@chat/client exports ${name}`).toContain(name)
  expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('(docs/ADDING-AN-APP.md)')
})
