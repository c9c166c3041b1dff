#!/usr/bin/env bash
# Builds the repository's Dockerfile into an OCI image without a Docker engine and without Microsoft's registry:
# buildah (daemonless, chroot isolation, vfs storage) builds it on two local base images that stand in for
# mcr.microsoft.com/dotnet/sdk:10.0 and runtime-deps:10.0:
#   localhost/edgepart-runtime-deps:local  Debian 12 minbase (debootstrap from the configured apt mirror) with the
#                                          native libraries .NET needs, user app (uid 1654) and APP_UID, like the
#                                          official runtime-deps image
#   localhost/edgepart-sdk:local           that + this machine's .NET SDK and CA bundle (NuGet goes through the
#                                          same sources and proxy as the host)
# The Dockerfile itself is used unchanged, with --build-arg SDK_IMAGE/RUNTIME_IMAGE.
#
#   sudo deploy/docker/build-local.sh [TAG]        # default tag localhost/edgepart:local
#
# Needs root, buildah and debootstrap (tests/peers/install-buildah.sh installs both). Base images are built once
# and reused; delete them with `buildah --storage-driver vfs rmi localhost/edgepart-sdk:local ...` to rebuild.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tag=${1:-localhost/edgepart:local}
runtime_image=localhost/edgepart-runtime-deps:local
sdk_image=localhost/edgepart-sdk:local
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
bh() { buildah --storage-driver vfs "$@"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "build-local.sh: needs root (buildah with chroot isolation)" >&2
  exit 77
fi
for tool in buildah debootstrap dotnet; do
  command -v "$tool" >/dev/null || { echo "build-local.sh: $tool is not installed (tests/peers/install-buildah.sh)" >&2; exit 69; }
done

has_image() { bh inspect --type image "$1" >/dev/null 2>&1; }
work=$(mktemp -d)
containers=()
cleanup() {
  for c in "${containers[@]}"; do bh rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! has_image "$runtime_image"; then
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "build-local.sh: debootstrap bookworm from $mirror"
  # InvariantGlobalization is on, so no ICU; libssl3 for TLS, zlib1g for compression, ca-certificates for HTTPS.
  debootstrap --variant=minbase --include=ca-certificates,libssl3,zlib1g bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  chroot "$work/rootfs" sh -c 'groupadd -g 1654 app && useradd -u 1654 -g 1654 -M -d /home/app -s /usr/sbin/nologin app && apt-get clean && rm -rf /var/lib/apt/lists/*'
  c=$(bh from scratch); containers+=("$c")
  cp -a "$work/rootfs/." "$(bh mount "$c")/"
  bh unmount "$c" >/dev/null
  bh config --env APP_UID=1654 --env DOTNET_RUNNING_IN_CONTAINER=true "$c"
  bh commit -q "$c" "$runtime_image" >/dev/null
fi

if ! has_image "$sdk_image"; then
  sdk_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  echo "build-local.sh: SDK image from $sdk_root"
  c=$(bh from "$runtime_image"); containers+=("$c")
  root=$(bh mount "$c")
  mkdir -p "$root/usr/share/dotnet" "$root/root/.nuget/NuGet"
  cp -a "$sdk_root/." "$root/usr/share/dotnet/"
  ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
  # The host's trust store and NuGet sources: the build inside resolves packages exactly as the host does.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  if [ -f "$HOME/.nuget/NuGet/NuGet.Config" ]; then cp "$HOME/.nuget/NuGet/NuGet.Config" "$root/root/.nuget/NuGet/NuGet.Config"; fi
  bh unmount "$c" >/dev/null
  # No ICU in the base (the product runs invariant); the SDK runs invariant too.
  bh config --env DOTNET_NOLOGO=1 --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env NUGET_CERT_REVOCATION_MODE=offline \
    --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true "$c"
  bh commit -q "$c" "$sdk_image" >/dev/null
fi

# The working tree as git sees it (tracked files and new files not ignored), never bin/obj or node_modules.
mkdir -p "$work/context"
git -C "$repo" ls-files -z --cached --others --exclude-standard | (cd "$repo" && xargs -0 cp --parents -t "$work/context" 2>/dev/null || true)
echo "build-local.sh: building $tag"
# Docker format keeps the HEALTHCHECK (the OCI format has no such field).
bh bud --isolation chroot --layers=false --format docker --build-arg TARGETARCH="$(dpkg --print-architecture)" \
  --build-arg SDK_IMAGE="$sdk_image" --build-arg RUNTIME_IMAGE="$runtime_image" \
  -f "$work/context/Dockerfile" -t "$tag" "$work/context"
echo "build-local.sh: built $tag"
