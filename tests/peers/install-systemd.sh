#!/usr/bin/env bash
# systemd-analyze (Debian's systemd package) for tests/EdgePartition.Hosting.Tests: every generated unit must pass
# `systemd-analyze verify`. Installing the package does not need systemd to run as PID 1. Idempotent.
set -euo pipefail
SUDO="${SUDO-}"
export DEBIAN_FRONTEND=noninteractive
if ! dpkg-query -W -f='${Status}' systemd 2>/dev/null | grep -q "install ok installed"; then
  $SUDO apt-get install -y -qq --no-install-recommends systemd
fi
[ -x /usr/bin/systemd-analyze ] || { echo "install-systemd.sh: /usr/bin/systemd-analyze is missing" >&2; exit 1; }
