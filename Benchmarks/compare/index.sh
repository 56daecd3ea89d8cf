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
mkdir -p "$WORK"
(cd "$REPO/Benchmarks/ExampleComparison" && rm -f .build/release.yaml && swift build -c release --product IndexBench 2>&1 | tail -1)
BENCH="$REPO/Benchmarks/ExampleComparison/.build/release/IndexBench"

main() {
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
}

main | tee "$WORK/index.log"
echo
python3 - "$WORK/index.log" <<'PYEOF'
import re, sys
section, rows, pypi, ours = None, [], {}, {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    m = re.match(r"== (\w+): 1 GiB of (\d+)-byte", line)
    if m:
        section = "%s B" % m.group(2) if m.group(2) == "100" else "10 KiB"
    elif f[0] in ("build_headers_only", "build_payload_crc"):
        ours[(section, f[0])] = float(f[2].split()[0]) * 1e6
    elif f[0] == "pypi_tfrecord2idx":
        pypi[(section, "build")] = float(f[2].split()[0]) * 1e6
    elif f[0] in ("lookups", "lookups_batched") and "payload CRC verified" in f[5]:
        ours[(section, f[0], f[2])] = float(f[5].split()[0]) * 1e6
    elif f[0] == "pypi_seek_read_lookups":
        pypi[(section, "lookups")] = float(f[3].split()[0]) * 1e6
    elif f[0] == "open":
        opened = float(re.search(r"open ([\d.]+) ms", line).group(1))
print("| Index and random access (1 GiB files) | ours | PyPI `tfrecord` | ratio | target | met |")
print("|---|---|---|---|---|---|")
for sec in ("100 B", "10 KiB"):
    theirs = pypi[(sec, "build")]
    # tfrecord2idx checks no CRC; the like-for-like build checks length CRCs only (our fast path).
    for key, what in (("build_headers_only", "length CRCs"), ("build_payload_crc", "every CRC")):
        r = ours[(sec, key)] / theirs
        target, met = (">= 100x", "yes" if r >= 100 else "no") if key == "build_headers_only" else ("reported", "-")
        print("| %s: index build (%s) vs tfrecord2idx, records/s | %.1fM | %.2fM | %.0fx | %s | %s |" % (sec, what, ours[(sec, key)] / 1e6, theirs / 1e6, r, target, met))
    theirs = pypi[(sec, "lookups")]
    for key, what in (("lookups", "one `withRecord(at:)` each"), ("lookups_batched", "batched `forEachRecord(at:)`")):
        for threads in ("threads=1", "threads=2"):
            r = ours[(sec, key, threads)] / theirs
            target = ">= 20x" if threads == "threads=1" else "reported"
            met = ("yes" if r >= 20 else "no") if threads == "threads=1" else "-"
            print("| %s: random lookups, CRC checked, %s, %s thread(s) vs seek+read (no CRC), lookups/s | %.2fM | %.3fM | %.1fx | %s | %s |" % (sec, what, threads[-1], ours[(sec, key, threads)] / 1e6, theirs / 1e6, r, target, met))
print("| open 1,000 indexed shards | %.1f ms | | | < 50 ms | %s |" % (opened, "yes" if opened < 50 else "no"))
PYEOF
