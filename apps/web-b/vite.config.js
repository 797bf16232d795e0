import { appServer } from '@chat/apps'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // `npm run coverage` (scripts/coverage.ts) maps the browser's coverage back to the sources.
  build: { sourcemap: Boolean(process.env.CHAT_COVERAGE) },
  server: appServer('web-b'),
  preview: appServer('web-b'),
})
