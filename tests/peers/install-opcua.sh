#!/usr/bin/env bash
# Installs node-opcua for the OPC UA tests under tests/peers/opcua/node_modules (the server script server.mjs
# lives next to it). 2.175.6 is pinned because it declares engines.node >=18 and runs on the CI's Node 20.
# Idempotent: does nothing when that version is already installed.
set -euo pipefail
cd "$(dirname "$0")/opcua"
version=2.175.6
if [ -f node_modules/node-opcua/package.json ] && grep -q "\"version\": \"$version\"" node_modules/node-opcua/package.json; then
  echo "install-opcua: node-opcua $version already installed"
else
  npm install --no-audit --no-fund --ignore-scripts --no-save --no-package-lock "node-opcua@$version" >/dev/null
  test -f node_modules/node-opcua/package.json
  echo "install-opcua: node-opcua $version installed in $(pwd)/node_modules"
fi
# node-opcua creates its certificate folders (~/.config/node-opcua-default-nodejs) on its first start; do that once
# here, so test servers started side by side never race to create them.
if [ ! -d "$HOME/.config/node-opcua-default-nodejs/PKI/own" ]; then
  log=$(mktemp)
  coproc server { exec node server.mjs 0 2>"$log"; }
  ready=""
  # Its first start may print notices before LISTENING; wait for that line (bounded), keep the rest for the error.
  while read -r -t 120 line <&"${server[0]}"; do
    case "$line" in LISTENING*) ready=yes; break ;; *) echo "$line" >>"$log" ;; esac
  done
  kill "$server_PID" 2>/dev/null || true
  wait "$server_PID" 2>/dev/null || true
  if [ -z "$ready" ]; then
    echo "install-opcua: the warm-up start of server.mjs failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  echo "install-opcua: certificate folders created"
fi
