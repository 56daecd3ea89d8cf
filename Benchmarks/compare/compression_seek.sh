#!/usr/bin/env bash
# Random access into GZIP shards: through inflate checkpoints (any GZIP file, 1 MiB spacing) and
# through the members of a blocked GZIP file, against TensorFlow reaching the same record by
# skipping. Needs the files of compression.sh (run it first).
# Usage: compression_seek.sh [DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-compression-bench}
py=${TFVENV:-$HOME/tfvenv}/bin/python
cd "$root"
TFRECORD_SEEK_BENCH="$data/text-10k.tf.gz:$data/text-10k.blocked.gz" swift test -c release --filter RandomAccessBenchmark 2>&1 | grep '^seek'
"$py" "$here/tf_seek.py" "$data/text-10k.tf.gz" GZIP 2>/dev/null
