#!/usr/bin/env bash
# Installs xmllint (Debian libxml2-utils): the independent XSD 1.0 validator the config tests check our schemas and
# examples with. Idempotent: does nothing when xmllint is already there.
set -euo pipefail
if command -v xmllint >/dev/null 2>&1; then
  exit 0
fi
${SUDO:-} apt-get install -y -qq libxml2-utils >/dev/null
