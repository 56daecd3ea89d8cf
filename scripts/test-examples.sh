#!/usr/bin/env bash
# Runs Examples/COCOPipeline (the seed workflow) on a fresh COCO-like sample and checks what it
# prints: every annotation written, delivered once in the shuffled epoch, bbox columns of 4.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 scripts/make_coco_sample.py "$WORK/coco" 24 3 >/dev/null
swift run -q --package-path Examples/COCOPipeline coco-pipeline "$WORK/coco" "$WORK/shards" > "$WORK/out.txt"
grep -q '^wrote 72 annotations to 3 GZIP shards' "$WORK/out.txt" || { echo "examples: unexpected output" >&2; cat "$WORK/out.txt" >&2; exit 1; }
delivered=$(awk '/^batch of/ { n += $3 } END { print n }' "$WORK/out.txt")
[ "$delivered" = 72 ] || { echo "examples: the loader delivered $delivered records, not 72" >&2; exit 1; }
grep -q 'bbox \[16, 4\]' "$WORK/out.txt" || { echo "examples: no [16, 4] bbox column" >&2; exit 1; }
grep -q '^first record as an Annotation: id 1,' "$WORK/out.txt" || { echo "examples: the Codable decode failed" >&2; exit 1; }
echo "examples: COCO -> Annotation -> GZIP shards -> loader: 72 records in batches, ok"
