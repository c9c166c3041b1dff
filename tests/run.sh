#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine with the .NET SDK:
# installs the independent test peers first (tests/peers/install.sh), then builds and runs all test projects.
# Ends with one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

tests/peers/install.sh || { echo "tests/run.sh: installing the test peers failed" >&2; exit 1; }

dotnet build EdgePartition.slnx -c Release -nologo -v:q || { echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
log=$(mktemp)
# A hung test is dumped and failed after 20 minutes (the image build test alone takes a few).
run_tests() {
  dotnet test "$@" -c Release --no-build -nologo \
    --blame-hang-timeout 20m --results-directory "$results" --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}
# Everything but the container image test first, all test projects in parallel; then the image test alone, because
# building an image saturates both cores and would starve the timing-sensitive protocol tests beside it.
run_tests EdgePartition.slnx --filter "Category!=Image"
status=$?
run_tests tests/EdgePartition.Hosting.Tests --filter "Category=Image" || status=$?

# dotnet test ends each test project with a block "Total tests: T / Passed: P / Failed: F / Skipped: S"; add them up.
read -r passed failed skipped < <(grep -E '^ +(Passed|Failed|Skipped): +[0-9]+ *$' "$log" |
  awk '{n=$2+0} /Passed:/{p+=n} /Failed:/{f+=n} /Skipped:/{s+=n} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
