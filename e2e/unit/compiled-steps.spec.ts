import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'

const COMPILER = pathToFileURL(path.resolve('node_modules/@motiadev/core/dist/src/ts-compiler.mjs')).href
const ROUNDS = 30

/** A process that compiles `file` ROUNDS times, as a backend instance starting (or a cold step) does. */
const compiling = (file: string, root: string) =>
  new Promise<void>((resolve, reject) => {
    const script = `const { compile, invalidate } = await import(${JSON.stringify(COMPILER)})
for (let i = 0; i < ${ROUNDS}; i++) { invalidate(${JSON.stringify(file)}); await compile(${JSON.stringify(file)}, ${JSON.stringify(root)}) }`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`compile exited ${code}: ${stderr}`))))
  })

test('two instances compiling one step at once: a reader of the compiled file always finds it whole (the patched ts-compiler)', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'compiled-steps-'))
  try {
    const source = path.join(root, 'steps', 'big.step.ts')
    mkdirSync(path.dirname(source), { recursive: true })
    // Large enough that writing it takes a while: a reader catches an in-place write half done.
    const lines = Array.from({ length: 4_000 }, (_, i) => `export const value${i}: string = ${JSON.stringify('x'.repeat(40) + i)}`)
    writeFileSync(source, `${lines.join('\n')}\nexport const config = { name: 'Big' }\n`)
    const compiled = path.join(root, '.motia', 'compiled', 'steps', 'big.step.js')

    const writers = Promise.all([compiling(source, root), compiling(source, root)])
    let done = false
    void writers.finally(() => (done = true))
    const lengths: number[] = []
    while (!done) {
      if (existsSync(compiled)) lengths.push(readFileSync(compiled).length)
      await new Promise((resolve) => setImmediate(resolve))
    }
    await writers
    // Every compile writes the same bytes: a read of any other length caught a write half done.
    const whole = readFileSync(compiled).length
    expect(lengths.length, 'the file was read while it was being written').toBeGreaterThan(50)
    expect(lengths.filter((length) => length !== whole), 'reads that found the compiled step empty or cut short').toEqual([])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})
