#!/usr/bin/env bash
# `npm run setup`: everything a fresh clone needs before `npx playwright test`. Idempotent, quiet when
# there is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# 1. Node packages, exactly as locked (skipped when node_modules already matches the lockfile).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. System packages: redis-server (Motia's Redis), haproxy (the balancer in front of the backend instances) and, when Playwright's own browser is not installed, Debian's
#    headless shell, which the suite runs in as Playwright runs its own (the full chromium serves --headed runs, and
#    headless runs too where the shell cannot be installed).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if ! node -e "const{chromium}=require('@playwright/test');process.exit(require('fs').existsSync(chromium.executablePath())?0:1)" \
  && [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium-headless-shell >/dev/null 2>&1; then
  missing+=(chromium-headless-shell)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif [ "${missing[*]}" = chromium-headless-shell ] && command -v chromium >/dev/null 2>&1; then
    say "chromium-headless-shell is not installed: the suite runs in chromium's headless mode, slower (apt-get install chromium-headless-shell)"
  else
    say "missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}; a browser can also"
    say "come from 'npx playwright install chromium'), then run npm run setup again."
    exit 1
  fi
fi

# 3. Builds: the protocol package (also built on every npm install) and the frontends' production builds, each
#    made again when any of its inputs is newer than it: the app's whole folder (sources, index.html, public/, every
#    config), the shared packages it uses, the lockfile. The rule is scripts/app-builds.ts's, the one the stack
#    applies before it serves the builds; it names each app it builds and the newer file that made it stale.
node --import tsx scripts/app-builds.ts
