#!/usr/bin/env bash
# Issue 17's data path against its peers, same records, same run: Codable vs swift-protobuf,
# batched parse vs tf.io.parse_example (batches of 256, one thread), and a shuffled epoch
# through ExampleLoader vs tf.data (TFRecordDataset.shuffle.batch.map(parse_example).prefetch)
# over the same blocked-GZIP shards, with peak memory for both.
# Usage: Benchmarks/compare/data_path.sh [RECORDS]   (TF_PYTHON defaults to ~/tfvenv/bin/python)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../ExampleComparison"
PY=${TF_PYTHON:-$HOME/tfvenv/bin/python}
RECORDS=${1:-400000}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
rm -f .build/release.yaml
swift build -c release --product ExampleComparison >/dev/null
BIN=./.build/release/ExampleComparison
echo "## Data path ($(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores)"
echo
$BIN --data-path --out "$OUT" | tee "$OUT/ours.txt" | grep -v '^OURS_'
"$PY" "$HERE/data_path_tf.py" "$OUT" parse 2>/dev/null > "$OUT/tf.txt"
mkdir -p "$OUT/shards"
$BIN --write-shards "$OUT/shards" "$RECORDS"
$BIN --loader "$OUT/shards" > "$OUT/loader.txt"
"$PY" "$HERE/data_path_tf.py" "$OUT" loader 2>/dev/null >> "$OUT/tf.txt"
python3 - "$OUT/ours.txt" "$OUT/tf.txt" "$OUT/loader.txt" <<'PYEOF'
import sys
def rows(path):
    return [l.split() for l in open(path) if l.startswith(("OURS_", "TF_"))]
ours = {tuple(r[:2]): float(r[2]) for r in rows(sys.argv[1]) if r[0] == "OURS_PARSE"}
tf = {tuple(r[:2]): r[2:] for r in rows(sys.argv[2])}
loader = rows(sys.argv[3])[0]
tfl = [r for r in rows(sys.argv[2]) if r[0] == "TF_LOADER"][0]
fmt = lambda v: f"{v/1e6:.2f}M" if v >= 1e6 else f"{v/1e3:.1f}k"
print()
print("| operation | ours | TensorFlow (same run) | ratio | target |")
print("|---|---:|---:|---:|---|")
for name, target in (("small", 5), ("coco-dram", 3)):
    o, t = ours[("OURS_PARSE", name)], float(tf[("TF_PARSE", name)][0])
    print(f"| batched parse, {name}, batches of 256, 1 thread | {fmt(o)} rec/s | {fmt(t)} rec/s (`parse_example`) | {o/t:.2f}x | ≥{target}x {'met' if o/t >= target else 'NOT met'} |")
o, om, n = float(loader[1]), float(loader[2]), int(loader[3])
t, tm = float(tfl[1]), float(tfl[2])
print(f"| shuffled epoch, {n} small records, blocked-GZIP shards, batch 256, parsed to columns | {fmt(o)} rec/s, peak RSS {om:.0f} MiB | {fmt(t)} rec/s, peak RSS {tm:.0f} MiB (tf.data, shuffle buffer 10000) | {o/t:.2f}x | ≥3x {'met' if o/t >= 3 else 'NOT met'} |")
PYEOF
