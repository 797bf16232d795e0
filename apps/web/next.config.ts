import type { NextConfig } from 'next'

const config: NextConfig = {
  // The shared client is TypeScript source in the workspace.
  transpilePackages: ['@chat/client', '@chat/protocol'],
  reactStrictMode: true,
  // `npm run coverage` (scripts/coverage.ts) maps the browser's coverage back to the sources.
  productionBrowserSourceMaps: Boolean(process.env.CHAT_COVERAGE),
}

export default config
