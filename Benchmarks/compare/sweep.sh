#!/usr/bin/env bash
# Sequential read throughput by record size (every CRC checked): ours against TensorFlow's
# TFRecordDataset and the memory-read ceiling, on 256 MiB page-cached files; writes
# sweep.csv and plots Benchmarks/throughput.png.
# Usage: sweep.sh [DATA_DIR]   (needs ~/tfvenv with tensorflow-cpu and matplotlib)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=${TFRECORD_BIN:-$root/.build/release/tfrecord}
mkdir -p "$data"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tfrecord >&2)
ceiling=${MEMORY_CEILING_GBS:-}   # set by run.sh from crc.sh (memory read over 1 GiB)
csv="$data/sweep.csv"
echo "size,ours_gbs,tf_gbs,ceiling_gbs" > "$csv"
for size in 100 1024 10240 102400 1048576; do
  f="$data/sweep-$size.tfrecord"
  [ -f "$f" ] || "$bin" generate "$f" --size "$size" --total-bytes $((256 << 20))
  cat "$f" > /dev/null
  ours=$("$bin" bench --runs 5 "$f" | awk -F'\t' '$1=="sequential-mmap" {split($3,a," "); print a[1]}')
  mode=""; [ "$size" -ge 10240 ] && mode="--per-record"
  tf=$("$py" "$here/tf_read.py" "$f" $mode --runs 2 2>/dev/null | awk -F'\t' '{split($3,a," "); print a[1]}')
  echo "$size,$ours,$tf,${ceiling:-}" >> "$csv"
  echo "record size $size: ours $ours GB/s, TensorFlow $tf GB/s" >&2
done
"$py" - "$csv" "$root/Benchmarks/throughput.png" <<'PY'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1])))
sizes = [int(r["size"]) for r in rows]
fig, ax = plt.subplots(figsize=(7, 4.2))
ax.plot(sizes, [float(r["ours_gbs"]) for r in rows], "o-", label="swift-tfrecord (mmap, CRC verified)")
ax.plot(sizes, [float(r["tf_gbs"]) for r in rows], "s-", label="TensorFlow TFRecordDataset")
if rows[0]["ceiling_gbs"]:
    ax.axhline(float(rows[0]["ceiling_gbs"]), color="gray", linestyle="--", label="memory read ceiling")
ax.set_xscale("log"); ax.set_yscale("log")
ax.set_xlabel("record payload size (bytes)"); ax.set_ylabel("GB/s of payload")
ax.set_title("Sequential read, 256 MiB page-cached, every CRC checked")
ax.grid(True, which="both", alpha=0.3); ax.legend()
fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
print("plot:", sys.argv[2])
PY
cat "$csv"
