#!/usr/bin/env bash
# Runs every benchmark one after the other (never in parallel: they measure the machine) in Release and keeps
# the raw output in artifacts/bench/. Needs the peers of tests/peers/install.sh (snap7, pymodbus, libmodbus).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/bench
build=artifacts/bench-build
mkdir -p "$out"
dotnet build EdgePartition.slnx -c Release --artifacts-path "$build" -v:q -nologo
dll() { echo "$build/bin/$1/release/$1.dll"; }
run() { local name=$1; shift; echo "bench: $name"; "$@" > "$out/$name.txt" 2>&1; tail -n 20 "$out/$name.txt"; }
run ipc dotnet "$(dll EdgePartition.Ipc.Benchmarks)" 20000
run ipc-micro dotnet "$(dll EdgePartition.Ipc.Benchmarks)" micro
run s7 dotnet "$(dll EdgePartition.S7.Bench)" 2000
run s7-micro dotnet "$(dll EdgePartition.S7.Bench)" micro
run modbus dotnet "$(dll EdgePartition.Bench.Modbus)" --seconds 1 --rounds 5
run modbus-micro dotnet "$(dll EdgePartition.Bench.Modbus)" micro
run sync-latency dotnet "$(dll EdgePartition.Sync.Bench)" latency 200
run sync-scale dotnet "$(dll EdgePartition.Sync.Bench)" scale 50 20
run hosting dotnet "$(dll EdgePartition.Bench.Hosting)" --seconds 15
run consumers dotnet "$(dll EdgePartition.Consumers.Bench)" --seconds 10
