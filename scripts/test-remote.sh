#!/usr/bin/env bash
# The remote layer's tests against real peers on 127.0.0.1: moto (S3 API), nginx (HTTP and TLS, with a
# certificate made now) and the fault-injecting proxy, with botocore/boto3 as the independent client.
# Starts them (scripts/remote-servers.sh), runs the TFRecordRemoteTests, stops everything on exit.
# Fails when any remote test fails or is skipped. Run by scripts/test.sh after the main `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export TFRECORD_REMOTE_STATE=${TFRECORD_REMOTE_STATE:-/tmp/tfrecord-remote-test}
trap 'scripts/remote-servers.sh stop' EXIT
scripts/remote-servers.sh start >/dev/null
# shellcheck disable=SC1091
. "$TFRECORD_REMOTE_STATE/env.sh"
export TFRECORD_REMOTE_REQUIRED=1
log="$TFRECORD_REMOTE_STATE/swift-test.log"
swift build --build-tests
swift test --skip-build --filter TFRecordRemoteTests 2>&1 | tee "$log" | grep -vE '^(◇|↳)' || true
if grep -E '^➜ .* skipped' "$log"; then
  echo "test-remote: remote tests were skipped (above); every one must run here" >&2
  exit 1
fi
grep -qE '^✔ Test run with [0-9]+ tests? .*passed' "$log" || { echo "test-remote: swift test failed" >&2; exit 1; }
summary=$(grep -E '^✔ Test run with' "$log")
echo "test-remote: $summary"
# The CLI over s3:// and https:// (cat, count, get, index, verify, exit codes).
scripts/remote_cli_check.sh
