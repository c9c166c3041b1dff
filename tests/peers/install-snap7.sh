#!/usr/bin/env bash
# Installs snap7 for the S7 tests and benchmarks: the npm package node-snap7 (snap7's C++ sources plus a Node
# addon) under tests/peers/s7/node_modules, built with node-gyp against the system Node headers (no downloads).
# The build also leaves build/Release/snap7.a, the static snap7 library the C benchmark (bench/S7) links against.
# Idempotent: does nothing when the addon and the static library are already built.
set -euo pipefail
cd "$(dirname "$0")/s7"
SUDO="${SUDO:-}"
module=node_modules/node-snap7
if [ -f "$module/build/Release/node_snap7.node" ] && [ -f "$module/build/Release/snap7.a" ]; then
  echo "install-snap7: already built"
  exit 0
fi

# node-gyp must build against local headers: the machine has no route to nodejs.org.
if [ ! -f /usr/include/node/node.h ]; then
  $SUDO apt-get install -y -qq libnode-dev >/dev/null || true
fi
if [ ! -f /usr/include/node/node.h ]; then
  echo "install-snap7: Node headers (/usr/include/node/node.h) are missing; install the nodejs dev headers" >&2
  exit 1
fi
if ! command -v g++ >/dev/null || ! command -v make >/dev/null; then
  $SUDO apt-get install -y -qq g++ make python3 >/dev/null
fi

# npm 11 does not run install scripts of unapproved packages, so install without scripts and build explicitly.
npm install --no-audit --no-fund --ignore-scripts --no-save --no-package-lock node-snap7@1.0.9 >/dev/null

gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
if [ ! -f "$gyp" ]; then
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
fi
(cd "$module" && node "$gyp" rebuild --nodedir=/usr >/dev/null)
test -f "$module/build/Release/node_snap7.node"
test -f "$module/build/Release/snap7.a"
echo "install-snap7: node-snap7 built in $(pwd)/$module"
