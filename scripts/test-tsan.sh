#!/usr/bin/env bash
# Runs the concurrent-reader tests and parallel shard writing under Thread Sanitizer: many threads reading random records
# from one shared RecordFile and one shared Dataset (lazily opened shards) with no lock on
# the read path. Any data race fails the run. Uses its own build folder so the normal debug
# build is not invalidated.
set -euo pipefail
cd "$(dirname "$0")/.."
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"
swift test --sanitize=thread --scratch-path .build/tsan --filter 'ConcurrentReadTests|ShardWriterTests.outputIsIdentical|CompressedShardAccessTests.threadsShare|LargeRecordScanTests|BackgroundWriteTests' "$@"
