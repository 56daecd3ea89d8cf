#!/usr/bin/env bash
# Compression throughput, ours against TensorFlow in the same run, on 256 MiB of compressible
# text-like records of 10 KiB and of 100 bytes (gen_text.py): GZIP write at the default level
# (ours must equal TF's bytes), blocked GZIP write (1 MiB blocks, 2 threads), GZIP read of
# TF's file (every CRC checked by both), blocked GZIP read (2 threads); then ZLIB write and read
# for the 10 KiB records.
# Plain GZIP writes (~16 s of CPU-bound deflate each) are one run for both; blocked writes the
# best of 2. TF's read is the faster of its batched and per-record pipelines (best of 2 runs
# each; batched only for 100-byte records); ours is `tfrecord bench` (best of 3).
# Usage: compression.sh [DATA_DIR]   (needs ~/tfvenv with tensorflow-cpu)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-compression-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=${TFRECORD_BIN:-$root/.build/release/tfrecord}
mkdir -p "$data"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tfrecord >&2)
now() { date +%s.%N; }
gbs() { awk -F'\t' '$1 ~ /^(sequential-mmap|tensorflow)$/ {split($3, a, " "); print a[1]; exit}' <<<"$1"; }

echo "| 256 MiB, records of | measure | ours | TensorFlow | ratio | target |"
echo "|---|---|---|---|---|---|"
for spec in text-10k:10240 text-100b:100; do   # text-*: not the random-payload files of seqread.sh
    name=${spec%%:*}; size=${spec##*:}
    plain=$data/$name.tfrecord
    [ -f "$plain" ] || "$py" "$here/gen_text.py" "$plain" --size "$size" --total-bytes $((256 << 20)) 2>/dev/null
    input=$(stat -c %s "$plain")
    cat "$plain" >/dev/null
    # Write: TF, then ours (same level), then blocked ours.
    tfw=$("$py" "$here/tf_write.py" "$plain" "$data/$name.tf.gz" GZIP --runs 1 2>/dev/null)
    tf_mbs=$(awk -F'\t' '{split($2, a, " "); print a[1]}' <<<"$tfw")
    tf_size=$(stat -c %s "$data/$name.tf.gz")
    t0=$(now); "$bin" convert "$plain" "$data/$name.ours.gz" --compression gzip; t1=$(now)
    best=$(python3 -c "print($t1 - $t0)")
    ours_mbs=$(python3 -c "print('%.1f' % ($input / $best / 1e6))")
    ours_size=$(stat -c %s "$data/$name.ours.gz")
    same=$(cmp -s "$data/$name.tf.gz" "$data/$name.ours.gz" && echo "byte-identical" || echo "DIFFERENT bytes")
    best=1e9
    for run in 1 2; do
        t0=$(now); "$bin" convert "$plain" "$data/$name.blocked.gz" --compression gzip --blocked 1M --threads 2; t1=$(now)
        best=$(python3 -c "print(min($best, $t1 - $t0))")
    done
    blk_mbs=$(python3 -c "print('%.1f' % ($input / $best / 1e6))")
    blk_size=$(stat -c %s "$data/$name.blocked.gz")
    # Read: TF's file by TF and by us; the blocked file by us (2 threads) and by TF.
    # TF's faster of its two reading pipelines (batched, per record).
    # Its per-record pipeline only for 10 KiB records: for 100-byte records it is many times
    # slower than the batched one (and takes minutes over 2.3M records).
    tf_best() {
        local a b=0
        a=$(gbs "$("$py" "$here/tf_read.py" "$1" GZIP --runs 2 2>/dev/null)")
        if [ "$size" -ge 10240 ]; then
            b=$(gbs "$("$py" "$here/tf_read.py" "$1" GZIP --per-record --runs 2 2>/dev/null)")
        fi
        python3 -c "print(max($a, $b))"
    }
    tf_read=$(tf_best "$data/$name.tf.gz")
    tf_read_blk=$(tf_best "$data/$name.blocked.gz")
    ours_read=$(gbs "$("$bin" bench --runs 3 "$data/$name.tf.gz")")
    ours_read_blk=$(gbs "$("$bin" bench --runs 3 "$data/$name.blocked.gz")")
    python3 - "$name" "$tf_mbs" "$ours_mbs" "$blk_mbs" "$tf_size" "$ours_size" "$blk_size" "$tf_read" "$ours_read" "$ours_read_blk" "$tf_read_blk" "$same" <<'PY'
import sys
n, tfw, ow, bw, ts, os_, bs, tfr, orr, obr, tfbr, same = sys.argv[1:]
tfw, ow, bw, ts, os_, bs, tfr, orr, obr, tfbr = map(float, (tfw, ow, bw, ts, os_, bs, tfr, orr, obr, tfbr))
print(f"| {n} | GZIP write, MB/s in | {ow:.1f} | {tfw:.1f} | {ow/tfw:.2f}x | >= 1x |")
print(f"| {n} | GZIP write size, bytes | {int(os_)} ({same}) | {int(ts)} | {os_/ts:.3f} | <= 1.01 |")
print(f"| {n} | blocked GZIP write, 2 threads, MB/s in | {bw:.1f} | {tfw:.1f} | {bw/tfw:.2f}x | >= 3x |")
print(f"| {n} | blocked GZIP size, bytes | {int(bs)} | {int(ts)} | {bs/ts:.3f} | <= 1.03 |")
print(f"| {n} | GZIP read of TF's file, 1 thread, GB/s out | {orr:.3f} | {tfr:.3f} | {orr/tfr:.2f}x | >= 1.5x |")
print(f"| {n} | blocked GZIP read, 2 threads, GB/s out | {obr:.3f} | {tfr:.3f} (TF on its file; {tfbr:.3f} on ours) | {obr/tfr:.2f}x | >= 3x |")
PY
done

# ZLIB (TensorFlow's other compression type), 10 KiB records: write at the default level (ours
# must equal TF's bytes) and read of TF's file, one thread each.
plain=$data/text-10k.tfrecord
input=$(stat -c %s "$plain")
tfw=$("$py" "$here/tf_write.py" "$plain" "$data/text-10k.tf.zz" ZLIB --runs 1 2>/dev/null)
tf_mbs=$(awk -F'\t' '{split($2, a, " "); print a[1]}' <<<"$tfw")
t0=$(now); "$bin" convert "$plain" "$data/text-10k.ours.zz" --compression zlib; t1=$(now)
ours_mbs=$(python3 -c "print('%.1f' % ($input / ($t1 - $t0) / 1e6))")
same=$(cmp -s "$data/text-10k.tf.zz" "$data/text-10k.ours.zz" && echo "byte-identical" || echo "DIFFERENT bytes")
a=$(gbs "$("$py" "$here/tf_read.py" "$data/text-10k.tf.zz" ZLIB --runs 1 2>/dev/null)")
b=$(gbs "$("$py" "$here/tf_read.py" "$data/text-10k.tf.zz" ZLIB --per-record --runs 1 2>/dev/null)")
tf_read=$(python3 -c "print(max($a, $b))")
ours_read=$(gbs "$("$bin" bench --runs 3 "$data/text-10k.tf.zz")")
python3 - "$tf_mbs" "$ours_mbs" "$same" "$tf_read" "$ours_read" <<'PY'
import sys
tfw, ow, same, tfr, orr = sys.argv[1:6]
tfw, ow, tfr, orr = map(float, (tfw, ow, tfr, orr))
print(f"| text-10k | ZLIB write, MB/s in ({same}) | {ow:.1f} | {tfw:.1f} | {ow/tfw:.2f}x | reported |")
print(f"| text-10k | ZLIB read of TF's file, 1 thread, GB/s out | {orr:.3f} | {tfr:.3f} | {orr/tfr:.2f}x | reported |")
PY
