#!/usr/bin/env bash
# Installs EdgePartition for one partition on a Debian/Ubuntu host with systemd:
#   publishes `edgepart` (self-contained, single file) into /opt/edgepart, links /usr/local/bin/edgepart,
#   creates the system user and group `edgepart` that own the segments, copies the partition (with its endpoint
#   files) to /etc/edgepart/NAME/, writes the systemd units, and prints how to start the partition.
#
#   sudo deploy/install.sh PARTITION.xml                  # publish with the .NET SDK, then install
#   sudo deploy/install.sh PARTITION.xml --binary ./edgepart   # install a binary published elsewhere
#
# Running it again upgrades the binary and the units and replaces the partition's config; it is idempotent.
set -euo pipefail

usage() { echo "usage: $0 PARTITION.xml [--binary PATH] [--prefix /opt/edgepart]" >&2; exit 64; }

[ $# -ge 1 ] || usage
partition_file=$(realpath "$1"); shift
binary=""
prefix=/opt/edgepart
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$(realpath "$2"); shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -f "$partition_file" ] || { echo "install.sh: $partition_file does not exist" >&2; exit 66; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo $0 ...)" >&2; exit 77; }

repo=$(cd "$(dirname "$0")/.." && pwd)
service_user=edgepart

# 1. The binary: self-contained single file, so the host needs no .NET runtime.
if [ -z "$binary" ]; then
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    armv7l) rid=linux-arm ;;
    *) echo "install.sh: no .NET runtime identifier for $(uname -m)" >&2; exit 1 ;;
  esac
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  echo "install.sh: publishing edgepart for $rid"
  dotnet publish "$repo/cli/EdgePartition.Cli.csproj" -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:DebugType=none -p:PublishDocumentationFiles=false \
    -p:WarningsNotAsErrors=IL3000 -o "$stage" -nologo -v:q
  binary="$stage/edgepart"
fi
install -d -m 0755 "$prefix"
# Beside the binary: the example and demo partitions (`edgepart demo`, `edgepart config`) and the XSDs for editors.
src_dir=$(dirname "$binary")
for extra in config xsd; do
  if [ -d "$src_dir/$extra" ]; then rm -rf "${prefix:?}/$extra"; cp -R "$src_dir/$extra" "$prefix/"; fi
done
install -m 0755 "$binary" "$prefix/edgepart.new" && mv -f "$prefix/edgepart.new" "$prefix/edgepart"
ln -sfn "$prefix/edgepart" /usr/local/bin/edgepart

# 2. The service user and group: own the segments in /dev/shm (mode 0640; add readers to the group).
getent group "$service_user" >/dev/null || groupadd --system "$service_user"
id -u "$service_user" >/dev/null 2>&1 || useradd --system --gid "$service_user" --no-create-home \
  --home-dir /nonexistent --shell /usr/sbin/nologin --comment "EdgePartition services" "$service_user"

# 3. Check the partition before touching anything of a running installation (exit 78 lists every problem).
"$prefix/edgepart" config validate "$partition_file"

# 4. The partition's files and the units (the same text as `edgepart systemd units PARTITION.xml`).
"$prefix/edgepart" systemd install "$partition_file" --executable "$prefix/edgepart"
chown -R root:"$service_user" /etc/edgepart
chmod -R u=rwX,g=rX,o= /etc/edgepart

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
else
  echo "install.sh: systemd is not running here; run 'systemctl daemon-reload' on the target before starting."
fi
