#!/usr/bin/env bash
# MQTT peers for tests/EdgePartition.Northbound.Tests: Debian's mosquitto (the broker) and mosquitto-clients
# (mosquitto_sub/pub for manual recipes), and, under tests/peers/mqtt/node_modules, the npm packages mqtt and
# sparkplug-payload (Eclipse Tahu's Sparkplug B codec) used by the independent checker sparkplug-check.mjs.
# Idempotent: installs only what is missing. Installing mosquitto starts no service in a container.
set -euo pipefail
SUDO="${SUDO-}"
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in mosquitto mosquitto-clients; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "install-mqtt.sh: mosquitto is missing" >&2; exit 1; }

cd "$(dirname "$0")/mqtt"
if [ ! -f node_modules/mqtt/package.json ] || [ ! -f node_modules/sparkplug-payload/package.json ]; then
  npm install --no-audit --no-fund --ignore-scripts --no-save --no-package-lock mqtt@5.16.0 sparkplug-payload@1.0.3 >/dev/null
fi
node -e 'require("mqtt"); require("sparkplug-payload")' || { echo "install-mqtt.sh: npm peers not loadable" >&2; exit 1; }
echo "install-mqtt: mosquitto and the Node Sparkplug checker peers are ready"
