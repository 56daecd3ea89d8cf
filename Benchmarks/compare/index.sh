#!/usr/bin/env bash
# Index and random-access benchmark: ours (release build) vs the PyPI `tfrecord` package, on the
# same page-cached files in one run. Data is generated under $WORK (default /tmp/tfr-index-bench),
# never in the repo.
#
#   Benchmarks/compare/index.sh            # needs ~/tfrvenv with `pip install tfrecord`
#
# Prints: index build (records/s, GB/s) vs tfrecord2idx; random lookups/s (CRC verified, 1 and 2
# threads; one record(at:) per lookup, and batched forEachRecord(at:)) vs a Python seek+read loop
# with offsets in memory (no CRC); time to open a 1,000-shard dataset with indexes.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-/tmp/tfr-index-bench}"
PY="${PY:-$HOME/tfrvenv/bin/python}"
LOOKUPS="${LOOKUPS:-2000000}"
PYLOOKUPS="${PYLOOKUPS:-300000}"
mkdir -p "$WORK/pkg"
# The bench package depends on the repo by path; SwiftPM names a path dependency after its
# folder, so point at it through a link with a fixed name.
ln -sfn "$REPO" "$WORK/pkg/swift-tfrecord"
mkdir -p "$WORK/pkg/bench/Sources/IndexBench"
ln -sfn "$REPO/Benchmarks/compare/IndexBench/main.swift" "$WORK/pkg/bench/Sources/IndexBench/main.swift"
cat > "$WORK/pkg/bench/Package.swift" <<'PKG'
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "IndexBench",
    dependencies: [.package(path: "../swift-tfrecord")],
    targets: [.executableTarget(name: "IndexBench", dependencies: [.product(name: "TFRecord", package: "swift-tfrecord")],
                                swiftSettings: [.swiftLanguageMode(.v5)])]
)
PKG
(cd "$WORK/pkg/bench" && swift build -c release 2>&1 | tail -1)
BENCH="$WORK/pkg/bench/.build/release/IndexBench"

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "swift: $(swift --version 2>&1 | head -1)"
echo "tfrecord (PyPI): $("$PY" -m pip show tfrecord 2>/dev/null | sed -n 's/^Version: //p')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for spec in "small 100" "large 10240"; do
    set -- $spec
    name=$1 size=$2
    file="$WORK/$name.tfrecord"
    [ -f "$file" ] || { "$BENCH" gen "$file" $((1 << 30)) "$size"; sync; }
    cat "$file" > /dev/null   # page-cache it
    echo
    echo "== $name: 1 GiB of $size-byte records =="
    "$BENCH" build "$file" 5
    "$PY" - "$file" "$WORK/$name.idx" <<'PYEOF'
import os, sys, time
from tfrecord.tools.tfrecord2idx import create_index
path, index_path = sys.argv[1], sys.argv[2]
start, cpu = time.perf_counter(), time.process_time()
create_index(path, index_path)
t, c = time.perf_counter() - start, time.process_time() - cpu
records = sum(1 for _ in open(index_path))
size = os.path.getsize(path)
print("pypi_tfrecord2idx\t%.3f s\t%.3f Mrec/s\t%.3f GB/s\tcpu %.3f s\t%.3f Mrec per cpu-second" % (t, records / t / 1e6, size / t / 1e9, c, records / c / 1e6))
PYEOF
    "$BENCH" lookups "$file" "$LOOKUPS" 1
    "$BENCH" lookups "$file" "$LOOKUPS" 2
    "$PY" - "$file" "$WORK/$name.idx" "$PYLOOKUPS" <<'PYEOF'
import random, struct, sys, time
import numpy as np
path, index_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
offsets = np.loadtxt(index_path, dtype=np.int64)[:, 0].tolist()  # offsets once, in memory
rng = random.Random(1)
picks = [rng.randrange(len(offsets)) for _ in range(n)]
with open(path, "rb") as f:
    # The PyPI package's own reading loop: seek, read length, skip CRC, read payload, skip CRC.
    start = time.perf_counter()
    cpu = time.process_time()
    total = 0
    for i in picks:
        f.seek(offsets[i])
        (length,) = struct.unpack("<Q", f.read(8))
        f.read(4)
        total += len(f.read(length))
        f.read(4)
    t = time.perf_counter() - start
    c = time.process_time() - cpu
print("pypi_seek_read_lookups\t%d lookups\t%.3f s\t%.3f M lookups/s (no CRC)\tcpu %.3f s\t%.3f M lookups per cpu-second" % (n, t, n / t / 1e6, c, n / c / 1e6))
PYEOF
done

echo
echo "== 1,000 shards with sidecar indexes =="
[ -d "$WORK/shards" ] || { "$BENCH" gen-shards "$WORK/shards" 1000 1000 100; sync; }
cat "$WORK"/shards/* > /dev/null
"$BENCH" open "$WORK/shards" 5
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
