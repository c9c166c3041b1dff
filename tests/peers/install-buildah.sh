#!/usr/bin/env bash
# Installs buildah and debootstrap (Debian): deploy/docker/build-local.sh builds the repository's Dockerfile with
# them, without a Docker engine, and the image test runs the result. Idempotent.
set -euo pipefail
if command -v buildah >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1; then
  exit 0
fi
${SUDO:-} apt-get install -y -qq buildah debootstrap >/dev/null
