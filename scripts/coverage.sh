#!/usr/bin/env bash
# Line coverage of the library and the CLI by the whole Swift test suite: runs
# `swift test --enable-code-coverage` (in its own build folder, .build/coverage, so the ordinary
# debug build is not thrown away), then prints llvm-cov's per-file table for Sources/ and the
# total. Exits non-zero when the tests fail or no profile was written.
# Usage: scripts/coverage.sh [--skip-tests]   (--skip-tests: report the last run's profile)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build/coverage
if [ "${1:-}" != "--skip-tests" ]; then
  swift test --enable-code-coverage --scratch-path "$scratch" 2>&1 | tee "$scratch/test.log" | grep -E '^(✔|✘) Test run' || true
  grep -qE '^✔ Test run with [0-9]+ tests? .*passed' "$scratch/test.log" || { echo "coverage: swift test failed (see $scratch/test.log)" >&2; exit 1; }
fi
bin=$(swift build --scratch-path "$scratch" --show-bin-path)
profile=$bin/codecov/default.profdata
[ -f "$profile" ] || { echo "coverage: no profile at $profile" >&2; exit 1; }
tests=$bin/swift-tfrecordPackageTests.xctest
# The toolchain's llvm-cov reads the toolchain's profile format (a system llvm-cov may not).
llvm_cov="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov=$(command -v llvm-cov)
"$llvm_cov" report "$tests" -instr-profile "$profile" -ignore-filename-regex='(\.build|Tests|scripts|Benchmarks)/' \
  | awk -v root="$(pwd)/" '{ sub(root, ""); print }'
