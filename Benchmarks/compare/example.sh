#!/usr/bin/env bash
# Example decode / view / encode: ours against swift-protobuf (same run, same records), then
# TensorFlow's parse_single_example / parse_example on the same records.
# Usage: Benchmarks/compare/example.sh   (TF_PYTHON defaults to ~/tfvenv/bin/python)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../ExampleComparison"
PY=${TF_PYTHON:-$HOME/tfvenv/bin/python}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
rm -f .build/release.yaml  # SwiftPM misses files added to the path dependency otherwise
swift build -c release --product ExampleComparison >/dev/null
echo "## Example ($(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores)"
echo
./.build/release/ExampleComparison --out "$OUT"
echo
echo "| data | TensorFlow $("$PY" -c 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"; import tensorflow as tf; print(tf.__version__)' 2>/dev/null) | records/s |"
echo "|---|---|---:|"
"$PY" "$HERE/example_tf_parse.py" "$OUT" 2>/dev/null
