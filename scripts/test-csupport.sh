#!/usr/bin/env bash
# The C core's checks, run by scripts/test.sh: every CRC32C implementation and the record scanner
# natively, under ASan+UBSan, and as arm64 under qemu (with and without the CRC extension), then
# each libFuzzer harness for FUZZ_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
CSupport/tests/run.sh all
CSupport/tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
