#!/usr/bin/env bash
# Interop with a real distributed engine: Apache Beam (Python SDK, DirectRunner).
#   1. Beam's WriteToTFRecord writes 4 GZIP shards (`.gz` suffix, num_shards=4); our Dataset
#      (`tfrecord count` / `tfrecord cat`) reads them: same records.
#   2. Our `tfrecord import` writes GZIP shards (plain and blocked); Beam's ReadFromTFRecord
#      reads them: same records.
# Needs ~/beamvenv with apache-beam (created on first use: pip install apache-beam[tfrecord] google-crc32c).
# Not run by scripts/test.sh (so not in CI): installing apache-beam[tfrecord] into its own venv
# (it cannot share TensorFlow's) took 626 s on this machine kind (2 busy cores, 2026-12-04), on
# top of TensorFlow's ~5-minute install; with the Swift tests, the TensorFlow interop checks, the
# remote peers, TSan and the C checks it does not fit CI's 90-minute budget. Run it by hand
# before changing shard naming or blocked GZIP (docs/RELIABILITY.md, "Checks in .ci/run").
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BEAMVENV:-$HOME/beamvenv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import apache_beam, google_crc32c" 2>/dev/null || "$venv/bin/pip" install -q "apache-beam[tfrecord]" google-crc32c
swift build --product tfrecord >&2
bin=$(swift build --show-bin-path)/tfrecord
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# 1. Beam writes, we read.
"$venv/bin/python" - "$work/beam" <<'PY' 2>/dev/null
import sys, apache_beam as beam
with beam.Pipeline() as p:
    (p | beam.Create([("beam record %d " % i).encode() * (1 + i % 7) for i in range(1000)])
       | beam.io.WriteToTFRecord(sys.argv[1] + "/part", file_name_suffix=".tfrecord.gz", num_shards=4))
PY
ls "$work/beam" >&2
"$bin" count "$work/beam" | tail -1
"$bin" cat --format hex "$work/beam" | sort > "$work/ours-read.txt"
python3 - "$work/ours-read.txt" <<'PY' || status=1
import sys
got = sorted(open(sys.argv[1]).read().split())
want = sorted(((("beam record %d " % i).encode() * (1 + i % 7)).hex()) for i in range(1000))
print("Beam WriteToTFRecord (4 GZIP shards) -> our Dataset: %d records, %s" % (len(got), "identical" if got == want else "MISMATCH"))
sys.exit(0 if got == want else 1)
PY

# 2. We write, Beam reads.
python3 -c "
import json
with open('$work/in.jsonl', 'w') as f:
    for i in range(1000): f.write(json.dumps({'id': i, 'text': 'row %d' % i, 'score': i + 0.5}) + '\n')"
for mode in "gzip" "gzip --blocked 4K"; do
  out="$work/ours-$(echo $mode | tr -d ' -')"
  "$bin" import "$work/in.jsonl" --output "$out" --records-per-shard 300 --compression $mode \
      --name 'part-{shard:05}-of-{total:05}.tfrecord.gz' --quiet > /dev/null
  "$bin" cat --format hex "$out" | sort > "$work/ours.txt"
  "$venv/bin/python" - "$out" "$work/ours.txt" "$mode" <<'PY' 2>/dev/null || status=1
import sys, apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
want = sorted(open(sys.argv[2]).read().split())
with beam.Pipeline() as p:
    got = (p | beam.io.ReadFromTFRecord(sys.argv[1] + "/part-*.tfrecord.gz") | beam.Map(lambda b: b.hex()))
    assert_that(got, equal_to(want))
print("our import (%s) -> Beam ReadFromTFRecord: %d records identical" % (sys.argv[3], len(want)))
PY
done
exit $status
