#!/usr/bin/env bash
# This machine's compression ceilings on the files of compression.sh: zlib, libdeflate and ISA-L
# deflate/inflate and LZ4, one thread, no TFRecord work (ceilings.c; CPU time of the thread).
# Usage: compression_ceilings.sh [DATA_DIR]   (needs text-10k.tfrecord and text-100b.tfrecord)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-/tmp/tfrecord-compression-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${CC:-cc}" -O2 -o "$work/ceilings" "$here/ceilings.c" -lz -ldeflate -lisal -llz4
"$work/ceilings" "$data/text-10k.tfrecord" > "$work/10k.txt"
"$work/ceilings" "$data/text-100b.tfrecord" > "$work/100b.txt"
python3 - "$work/10k.txt" "$work/100b.txt" <<'PY'
import sys
rows = [[line.rstrip("\n").split("\t") for line in open(path)] for path in sys.argv[1:3]]
print("| one thread, CPU time | 256 MiB of 10 KiB text records | 256 MiB of 100-byte text records |")
print("|---|---|---|")
for a, b in zip(*rows):
    print("| %s | %s, %s | %s, %s |" % (a[0], a[1], a[2], b[1], b[2]))
PY
