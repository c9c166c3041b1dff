#!/usr/bin/env bash
# Installs what the consumers' browser test needs: Debian's chromium (driven headless) and playwright-core from npm
# (no bundled browser download: the test launches /usr/bin/chromium). Idempotent; run by tests/peers/install.sh.
set -euo pipefail
cd "$(dirname "$0")"
SUDO="${SUDO-}"
export DEBIAN_FRONTEND=noninteractive

if ! command -v chromium >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq chromium >/dev/null
fi

# playwright-core is pinned by browser/package.json; it never downloads browsers itself.
if [ ! -f browser/node_modules/playwright-core/package.json ]; then
  (cd browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --silent)
fi
echo "install-browser: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), playwright-core $(node -p "require('./browser/node_modules/playwright-core/package.json').version")"
