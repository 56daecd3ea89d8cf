#!/usr/bin/env bash
# Sequential read, every CRC checked: ours (`tfrecord bench`) against TensorFlow's
# TFRecordDataset on the same page-cached files in the same run.
# Usage: seqread.sh [DATA_DIR]   (needs ~/tfvenv with tensorflow-cpu; see run.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=${TFRECORD_BIN:-$root/.build/release/tfrecord}
mkdir -p "$data"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tfrecord >&2)
[ -f "$data/100b.tfrecord" ] || "$bin" generate "$data/100b.tfrecord" --size 100 --total-bytes 1073741824
[ -f "$data/1m.tfrecord" ] || "$bin" generate "$data/1m.tfrecord" --size 1048576 --records 1024
cat "$data/100b.tfrecord" "$data/1m.tfrecord" > /dev/null   # page cache

field() { awk -F'\t' -v n="$2" '$1 ~ /^(sequential-mmap|tensorflow)$/ {split($n, a, " "); print a[1]; exit}' <<<"$1"; }
ours_small=$("$bin" bench --runs 5 "$data/100b.tfrecord")
tf_small=$("$py" "$here/tf_read.py" "$data/100b.tfrecord" --runs 2 2>/dev/null)
ours_big=$("$bin" bench --runs 5 --pread "$data/1m.tfrecord")
ours_small_pread=$("$bin" bench --runs 3 --pread "$data/100b.tfrecord" | awk -F'\t' '$1=="sequential-read" {print $2 ", " $3}')
ours_big_pread=$(awk -F'\t' '$1=="sequential-read" {print $2 ", " $3}' <<<"$ours_big")
tf_big=$("$py" "$here/tf_read.py" "$data/1m.tfrecord" --per-record --runs 3 2>/dev/null)
crc=$(awk -F'\t' '$1=="crc32c"{print $2}' <<<"$ours_small")
python3 - "$(field "$ours_small" 2)" "$(field "$tf_small" 2)" "$(field "$ours_big" 3)" "$(field "$tf_big" 3)" "$crc" <<'PY'
import sys
ours_rs, tf_rs, ours_gbs, tf_gbs, crc = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print("| Sequential read, CRC verified (crc32c: %s) | ours | TensorFlow | ratio | target | met |" % crc)
print("|---|---|---|---|---|---|")
r1 = ours_rs / tf_rs; r2 = ours_gbs / tf_gbs
print("| 1 GiB of 100-byte records, records/s | %.2fM | %.2fM | %.1fx | >= 20x | %s |" % (ours_rs / 1e6, tf_rs / 1e6, r1, "yes" if r1 >= 20 else "no"))
print("| 1 GiB of 1 MiB records, GB/s | %.2f | %.2f | %.1fx | >= 6x | %s |" % (ours_gbs, tf_gbs, r2, "yes" if r2 >= 6 else "no"))
PY
echo
echo "mmap (used) against read(2) in 1 MiB chunks (ReadOptions.useMemoryMap = false), same files:"
echo "- 100-byte records, read(2): $ours_small_pread"
echo "- 1 MiB records, read(2): $ours_big_pread"
