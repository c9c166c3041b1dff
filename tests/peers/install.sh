#!/usr/bin/env bash
# Installs every independent peer the tests start for real: one install-*.sh per peer, each idempotent.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export SUDO="$sudo"
# One package-list refresh for all the install scripts (they only run apt-get install).
$sudo apt-get update -qq
for script in ./install-*.sh; do
  [ -e "$script" ] || continue
  echo "tests/peers: $script"
  bash "$script"
done
