#!/usr/bin/env bash
# CPU seconds of GZIP writing, ours against TensorFlow, on the 10 KiB-record file of
# compression.sh: robust where wall-clock is not (a machine shared with other work). The
# blocked writer's wall time with 2 threads is printed too.
# Usage: compression_cpu.sh [DATA_DIR] [NAME]   (NAME: 10k or 100b; run compression.sh first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-compression-bench}
name=${2:-10k}
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=$root/.build/release/tfrecord
plain=$data/$name.tfrecord
tf=$("$py" "$here/tf_write.py" "$plain" "$data/$name.cpu-tf.gz" GZIP 2>/dev/null)
echo "TensorFlow one-stream GZIP: $(cut -f5 <<<"$tf") (wall $(cut -f3 <<<"$tf"))"
/usr/bin/time -f "ours one-stream GZIP: %U user + %S sys cpu-s (wall %e s)" "$bin" convert "$plain" "$data/$name.cpu-ours.gz"
cmp -s "$data/$name.cpu-tf.gz" "$data/$name.cpu-ours.gz" && echo "  (byte-identical to TensorFlow's file)"
/usr/bin/time -f "ours blocked GZIP, 2 threads: %U user + %S sys cpu-s (wall %e s)" "$bin" convert "$plain" "$data/$name.cpu-blk.gz" --blocked 1M --threads 2
/usr/bin/time -f "ours blocked GZIP, 1 thread: %U user + %S sys cpu-s (wall %e s)" "$bin" convert "$plain" "$data/$name.cpu-blk1.gz" --blocked 1M --threads 1
rm -f "$data/$name".cpu-*.gz
