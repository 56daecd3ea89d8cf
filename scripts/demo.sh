#!/usr/bin/env bash
# The main job, end to end: makes a small COCO-like sample (PNG images + annotation JSON),
# imports it into GZIP shards of tf.train.Examples (with index sidecars), then verifies, counts
# and reads records at random. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product tfrecord >&2
bin=$(swift build -c release --show-bin-path)/tfrecord
work=${1:-$(mktemp -d)}
python3 scripts/make_coco_sample.py "$work/sample" 48 3
echo "== tfrecord import (COCO annotations + images -> GZIP shards of 32 records)"
"$bin" import "$work/sample/annotations.json" --output "$work/shards" --root "$work/sample/images" \
    --records-per-shard 32 --name 'coco-{shard:05}-of-{total:05}.tfrecord.gz' --compression gzip --blocked 1M --overwrite
echo "== tfrecord verify"
"$bin" verify "$work/shards"
echo "== tfrecord count (from the index sidecars)"
"$bin" count "$work/shards"
echo "== tfrecord get: records 0, 77 and 143 at random, as JSON (image bytes cut for display)"
"$bin" get "$work/shards" 0 77 143 --format json | cut -c1-240
echo "== tfrecord schema"
"$bin" schema "$work/shards"
echo "shards are in $work/shards"
