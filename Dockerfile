# syntax=docker/dockerfile:1
# EdgePartition: `edgepart run` (collectors, sync and consumers of one partition) in a small non-root image.
#   docker build -t edgepart .
#   docker run --init --ipc=shareable --shm-size=256m -v /srv/edgepart/line1:/etc/edgepart:ro -p 8480:8480 edgepart
# See deploy/README.md for sharing segments with co-located containers (--ipc) and real-time scheduling.

# Base images: Microsoft's by default; deploy/docker/build-local.sh passes locally built equivalents where the
# registry is out of reach (an air-gapped build host, or this project's CI).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

# --- build: a self-contained single-file edgepart for the target architecture ---------------------------------
FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src

# Restore from the project files alone first, so editing code does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY cli/EdgePartition.Cli.csproj cli/
COPY config/EdgePartition.Config.csproj config/
COPY hosting/EdgePartition.Hosting.csproj hosting/
COPY ipc-schema/EdgePartition.Ipc.csproj ipc-schema/
COPY native/EdgePartition.Native.csproj native/
COPY collector/EdgePartition.Collector.csproj collector/
COPY sync/EdgePartition.Sync.csproj sync/
COPY consumers/EdgePartition.Consumers.csproj consumers/
COPY northbound/EdgePartition.Northbound.csproj northbound/
COPY protocols/Common/EdgePartition.Protocols.csproj protocols/Common/
COPY protocols/S7/EdgePartition.S7.csproj protocols/S7/
COPY protocols/Modbus/EdgePartition.Modbus.csproj protocols/Modbus/
COPY protocols/OpcUa/EdgePartition.OpcUa.csproj protocols/OpcUa/
RUN rid="linux-$(case "$TARGETARCH" in arm64) echo arm64 ;; *) echo x64 ;; esac)" \
 && dotnet restore cli/EdgePartition.Cli.csproj -r "$rid"

COPY . .
# IL3000 stays a warning: `edgepart run` reads Assembly.Location only when started through the dotnet muxer,
# never in the single-file build.
RUN rid="linux-$(case "$TARGETARCH" in arm64) echo arm64 ;; *) echo x64 ;; esac)" \
 && dotnet publish cli/EdgePartition.Cli.csproj -c Release -r "$rid" --self-contained \
      -p:PublishSingleFile=true -p:DebugType=none -p:PublishDocumentationFiles=false -p:WarningsNotAsErrors=IL3000 -o /out

# --- runtime: only the native dependencies of .NET (InvariantGlobalization: no ICU needed) ----------------------
FROM ${RUNTIME_IMAGE} AS runtime
COPY --from=build /out /opt/edgepart
# The partition directory (partition.xml and its endpoint files) is mounted here, read-only.
VOLUME ["/etc/edgepart"]
# Port of the consumers' HTTP endpoint in the partition file (<http port=...>); the health check uses it.
ENV EDGEPART_HTTP_PORT=8480
EXPOSE 8480
# The non-root user of the .NET images (APP_UID=1654): it owns the segments it creates in /dev/shm.
USER $APP_UID
# /healthz answers 200 when every process of the partition is alive and fresh. The image has no curl,
# so bash's /dev/tcp sends the request (plain HTTP on loopback inside the container).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${EDGEPART_HTTP_PORT} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/edgepart/edgepart"]
CMD ["run", "/etc/edgepart/partition.xml"]
