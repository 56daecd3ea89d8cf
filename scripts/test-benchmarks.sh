#!/usr/bin/env bash
# Builds the package-benchmark suites and checks their deterministic metric (malloc counts) against
# Benchmarks/Thresholds; wall-clock figures are not gated (the machine is shared). After a change
# that legitimately alters allocations: BENCHMARK_MALLOC_ONLY=1 swift package
# --allow-writing-to-package-directory benchmark thresholds update (in Benchmarks/).
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
BENCHMARK_MALLOC_ONLY=1 swift package benchmark thresholds check
