#!/usr/bin/env bash
# One command for the whole side-by-side comparison: makes the data files, sets up the Python
# peers (venvs outside the repo), runs ours and each peer on the same files in the same run and
# prints every table of ratios; the Markdown goes to Benchmarks/results/latest.md.
#
#   Benchmarks/compare/run.sh [DATA_DIR]      (default /tmp/tfrecord-bench; under 15 minutes from a
#                                             fresh clone once the venvs exist)
#
# Peers: TensorFlow (TFRecordDataset, TFRecordWriter, parse_single_example), the PyPI `tfrecord`
# package (tfrecord2idx, indexed reads), the `crc32c` and `google-crc32c` packages, ISA-L
# crc32_iscsi, swift-protobuf (Example decode/encode), and this machine's ceilings (memory read,
# zlib / libdeflate / ISA-L inflate and deflate, LZ4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-bench}
mkdir -p "$data" "$root/Benchmarks/results"
out="$root/Benchmarks/results/latest.md"

"$root/scripts/install-deps.sh"
export TFVENV=${TFVENV:-$HOME/tfvenv}
[ -x "$TFVENV/bin/python" ] || python3 -m venv "$TFVENV"
"$TFVENV/bin/python" -c "import tensorflow, matplotlib" 2>/dev/null || "$TFVENV/bin/pip" install -q tensorflow-cpu matplotlib
[ -x "$HOME/tfrvenv/bin/python" ] || python3 -m venv "$HOME/tfrvenv"
"$HOME/tfrvenv/bin/python" -c "import tfrecord" 2>/dev/null || "$HOME/tfrvenv/bin/pip" install -q tfrecord
crcvenv=${CRC_VENV:-$HOME/crcvenv}
[ -x "$crcvenv/bin/python" ] || python3 -m venv "$crcvenv"
"$crcvenv/bin/python" -c "import crc32c, google_crc32c" 2>/dev/null || "$crcvenv/bin/pip" install -q crc32c google-crc32c
# One release build serves every section: the comparison package builds our `tfrecord` CLI (a
# product of its dependency, this package) beside its own IndexBench and ExampleComparison, so
# TFRecord is compiled once.
compare_pkg="$root/Benchmarks/ExampleComparison"
# SwiftPM does not notice files added to a path dependency since its last build plan; drop the
# plan (it is remade in a second) so a pulled checkout builds what is on disk.
rm -f "$compare_pkg/.build/release.yaml"
for product in tfrecord IndexBench ExampleComparison; do
    (cd "$compare_pkg" && swift build -c release --product "$product" >&2)
done
export TFRECORD_BIN="$compare_pkg/.build/release/tfrecord"
setup_seconds=$SECONDS

section() {  # section TITLE COMMAND...
  local title="$1"; shift
  echo "== $title" >&2
  local start=$SECONDS text
  if text=$("$@" 2>/tmp/tfrecord-bench-stderr.txt); then :; else text="$text
(failed: $(tail -3 /tmp/tfrecord-bench-stderr.txt))"; fi
  printf '\n## %s\n\n%s\n\n_%d s_\n' "$title" "$text" $((SECONDS - start)) | tee -a "$out"
}

{
  echo "# Benchmark run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- Command: \`Benchmarks/compare/run.sh $data\`"
  echo "- Ratios are ours / peer in the same run on the same files; the machine is shared and noisy."
} > "$out"
cat "$out"

section "CRC32C" "$here/crc.sh" 5
ceiling=$(awk -F'|' '/^\| memory read 1 GiB \(ceiling\)/ {gsub(/ /, "", $3); print $3; exit}' "$out")
section "Sequential read" "$here/seqread.sh" "$data"
WORK="$data/index" section "Index and random access" "$here/index.sh"
section "Compression" "$here/compression.sh" "$data"
section "Compression ceilings of this machine" "$here/compression_ceilings.sh" "$data"
section "Random access into GZIP" "$here/compression_seek.sh" "$data"
section "Writing and shards" "$here/shards.sh" "$data"
[ -x "$here/example.sh" ] && section "tf.train.Example" "$here/example.sh" "$data"
MEMORY_CEILING_GBS=$ceiling section "Read throughput by record size" "$here/sweep.sh" "$data"
# Object storage: the loopback servers (moto, nginx, the latency proxy) start and stop inside;
# REMOTE_BENCH_QUICK=1 for CI-sized data.
section "Object storage (S3 API, HTTP)" "$here/remote.sh" "$data" ${REMOTE_BENCH_QUICK:+--quick}
printf '\n_Setup (dependencies, venvs, release build): %d s; measurements: %d s; total %d s._\n' \
    "$setup_seconds" $((SECONDS - setup_seconds)) "$SECONDS" | tee -a "$out"
echo "results: $out" >&2
