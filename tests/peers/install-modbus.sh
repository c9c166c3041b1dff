#!/usr/bin/env bash
# Modbus TCP peers for tests/EdgePartition.Modbus.Tests and bench/Modbus:
#   python3-pymodbus with python3-serial and python3-serial-asyncio (its server imports them even for TCP; run with /usr/bin/python3), mbpoll (libmodbus client),
#   libmodbus-dev (the C benchmark program links it). Idempotent: installs only what is missing.
set -euo pipefail
SUDO="${SUDO-}"
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in python3-pymodbus python3-serial python3-serial-asyncio mbpoll libmodbus-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c 'import pymodbus.server, pymodbus.client' || { echo "install-modbus.sh: pymodbus is not importable by /usr/bin/python3" >&2; exit 1; }
command -v mbpoll >/dev/null || { echo "install-modbus.sh: mbpoll is missing" >&2; exit 1; }
