#!/usr/bin/env bash
# Writing, ours against TensorFlow's TFRecordWriter loop in the same run (records in memory
# first on both sides):
#   1. uncompressed, 100-byte records: records/s, on one thread and with writesInBackground;
#   2. GZIP sharded writing: our ShardWriter with blocked GZIP (1 MiB blocks, 2 threads) against
#      TF's GZIP writer at the same (default) level, on 256 MiB of text-like 10 KiB records: MB/s
#      of uncompressed input and output size.
# Both sides write to WRITE_DIR (default /dev/shm: the disk of this VM writes at a few hundred
# MB/s, which would measure the disk, not the writers); dd's rate there is printed as the ceiling.
# Usage: shards.sh [DATA_DIR]   (needs ~/tfvenv with tensorflow-cpu)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=${TFRECORD_BIN:-$root/.build/release/tfrecord}
mkdir -p "$data"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tfrecord >&2)
[ -f "$data/small-64m.tfrecord" ] || "$bin" generate "$data/small-64m.tfrecord" --size 100 --total-bytes $((64 << 20))
[ -f "$data/text-10k.tfrecord" ] || "$py" "$here/gen_text.py" "$data/text-10k.tfrecord" --size 10240 --total-bytes $((256 << 20)) 2>/dev/null
records=$(( (64 << 20) / 116 ))
wdir=${WRITE_DIR:-/dev/shm/tfrecord-bench-write}
mkdir -p "$wdir"
ceiling=$(dd if=/dev/zero of="$wdir/dd" bs=1M count=512 2>&1 | awk '/copied/ {print $(NF-1), $NF}'); rm -f "$wdir/dd"

tf_small=$("$py" "$here/tf_write.py" "$data/small-64m.tfrecord" "$wdir/tf-small.out" "" --runs 2 2>/dev/null)
ours_both=$("$bin" bench "$data/small-64m.tfrecord" --runs 3 --write-records "$records" --write-size 100 --write-path "$wdir/ours-small.out")
ours_small=$(awk -F'\t' '$1=="write"' <<<"$ours_both")
ours_background=$(awk -F'\t' '$1=="write-background"' <<<"$ours_both")
tf_gzip=$("$py" "$here/tf_write.py" "$data/text-10k.tfrecord" "$wdir/tf-text.gz" GZIP --runs 1 2>/dev/null)
rm -rf "$wdir/shards-out"
ours_gzip=$("$bin" bench "$data/text-10k.tfrecord" --runs 2 --shard-write "$wdir/shards-out" --shard-records 4096 \
    --compression gzip --blocked 1M --threads 2 | awk -F'\t' '$1=="shard-write"')
rm -f "$wdir/tf-small.out" "$wdir/tf-text.gz"

python3 - "$tf_small" "$ours_small" "$tf_gzip" "$ours_gzip" "$records" "$ceiling" "$wdir" "$ours_background" <<'PY'
import sys
tf_small, ours_small, tf_gzip, ours_gzip, n, ceiling, wdir, ours_background = sys.argv[1:9]
num = lambda s, i: float(s.split("\t")[i].split()[0])
tf_mbs = num(tf_small, 1); tf_rs = tf_mbs * 1e6 / 116
ours_rs = num(ours_small, 1)
tf_gz = num(tf_gzip, 1); tf_gz_size = int(tf_gzip.split("\t")[3].split()[0])
ours_gz = num(ours_gzip, 1); ours_gz_size = int(ours_gzip.split("\t")[4].split()[0])
print("Both write to %s (dd there: %s)." % (wdir, ceiling))
print()
print("| Writing | ours | TensorFlow | ratio | target | met |")
print("|---|---|---|---|---|---|")
r = ours_rs / tf_rs
print("| uncompressed 100-byte records, records/s (one thread, as TF) | %.2fM | %.2fM | %.1fx | >= 10x | %s |" % (ours_rs / 1e6, tf_rs / 1e6, r, "yes" if r >= 10 else "no"))
bg_rs = num(ours_background, 1); r = bg_rs / tf_rs
print("| same, `writesInBackground` (the file written by a second thread) | %.2fM | %.2fM | %.1fx | >= 10x | %s |" % (bg_rs / 1e6, tf_rs / 1e6, r, "yes" if r >= 10 else "no"))
r = ours_gz / tf_gz
print("| GZIP shards (blocked, 2 threads) vs TF GZIP, MB/s of input | %.0f | %.1f | %.1fx | >= 3x | %s |" % (ours_gz, tf_gz, r, "yes" if r >= 3 else "no"))
d = (ours_gz_size - tf_gz_size) / tf_gz_size * 100
print("| same, output size vs TF's | %d | %d | %+.2f%% | within 3%% | %s |" % (ours_gz_size, tf_gz_size, d, "yes" if abs(d) <= 3 else "no"))
PY
