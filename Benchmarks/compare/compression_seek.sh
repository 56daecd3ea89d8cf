#!/usr/bin/env bash
# Random access into a 1 GiB (uncompressed) GZIP shard: through inflate checkpoints (any GZIP
# file; built when the file is opened) and through the members of a blocked GZIP file, against
# TensorFlow reaching a random record by skipping (it must inflate everything before it).
# The shard is four copies of compression.sh's text-10k records, compressed at the default level
# by our writer (the bytes TensorFlow's GZIP writer makes) and as blocked GZIP (1 MiB blocks).
# Usage: compression_seek.sh [DATA_DIR]   (needs text-10k.tfrecord from compression.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-compression-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=${TFRECORD_BIN:-$root/.build/release/tfrecord}
[ -x "$bin" ] || (cd "$root" && swift build -c release --product tfrecord >&2)
big=$data/text-10k-1g
if [ ! -f "$big.gz" ] || [ ! -f "$big.blocked.gz" ]; then
    cat "$data/text-10k.tfrecord" "$data/text-10k.tfrecord" "$data/text-10k.tfrecord" "$data/text-10k.tfrecord" > "$big.tfrecord"
    "$bin" convert "$big.tfrecord" "$big.gz" --compression gzip --quiet
    "$bin" convert "$big.tfrecord" "$big.blocked.gz" --compression gzip --blocked 1M --threads 2 --quiet
    rm -f "$big.tfrecord"
fi
cat "$big.gz" "$big.blocked.gz" > /dev/null
latency() { "$bin" bench "$1" --runs 1 --random 300 --latency | awk -F'\t' '$1 == "random-latency"'; }
ckpt=$(latency "$big.gz")
blocked=$(latency "$big.blocked.gz")
tf=$("$py" "$here/tf_seek.py" "$big.gz" GZIP 2>/dev/null)
python3 - "$ckpt" "$blocked" "$tf" "$(stat -c %s "$big.gz")" <<'PY'
import sys
ckpt, blocked, tf, size = sys.argv[1:5]
ms = lambda line, key: float(line.split(key + " ")[1].split(" ms")[0])
field = lambda line, i: line.split("\t")[i]
tf_p50 = ms(tf, "p50")
print("1 GiB of 10 KiB text records; GZIP file %d bytes. 300 random records each (ours), 7 (TF)." % int(size))
print()
print("| random record, one thread | p50 | p90 | open + index | TF skip p50 | target | met |")
print("|---|---|---|---|---|---|---|")
for name, line, target in (("GZIP through checkpoints", ckpt, 10.0), ("blocked GZIP", blocked, 2.0)):
    p50, p90 = ms(line, "p50"), ms(line, "p90")
    opened = field(line, 4).replace("open and index ", "")
    print("| %s | %.2f ms | %.2f ms | %s | %.0f ms | < %g ms | %s |" % (name, p50, p90, opened, tf_p50, target, "yes" if p50 < target else "no"))
PY
