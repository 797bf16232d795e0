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

# 3. Builds: the protocol package (also built on every npm install) and the frontends' production builds,
#    rebuilt only when a source is newer than the build.
stale() { # stale <build output> <source dirs…>
  [ ! -e "$1" ] && return 0
  [ -n "$(find "${@:2}" -newer "$1" -type f -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]
}
if stale packages/chat-protocol/dist/index.js packages/chat-protocol/src; then npm run --silent build -w packages/chat-protocol; fi
# The frontends and their build outputs come from the app registry (packages/chat-apps): one line per app.
frontends=$(node --input-type=module -e "import { APPS, FRAMEWORKS } from '@chat/apps'
for (const [name, app] of Object.entries(APPS)) console.log(name, app.dir, FRAMEWORKS[app.framework].buildOutput)")
while read -r app dir build; do
  [ -f "$dir/package.json" ] || continue
  out="$dir/$build"
  if stale "$out" "$dir/src" "$dir/package.json" packages/chat-client/src packages/chat-protocol/src; then
    say "building $app"
    npm run --silent build -w "$dir" >/tmp/setup-build-$app.log 2>&1 || { cat /tmp/setup-build-$app.log; exit 1; }
  fi
done <<<"$frontends"
