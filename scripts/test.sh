#!/usr/bin/env bash
# The test command: installs what it needs, then runs the Swift tests and the C checks
# (CRC32C table on every implementation, scanners, sanitizers, arm64 under qemu, fuzzers).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test 2>&1 | tee /tmp/tfrecord-swift-test.log | grep -vE '^(◇|↳)' || true
grep -qE '^✔ Test run with [0-9]+ tests? .*passed' /tmp/tfrecord-swift-test.log || { echo "swift test failed" >&2; exit 1; }
for extra in scripts/test-*.sh; do
  [ -x "$extra" ] || continue
  echo "== $extra"
  "$extra"
done
