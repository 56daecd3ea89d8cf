#!/usr/bin/env bash
# Real-TensorFlow interop for compressed files we write: every GZIP mode (default and
# non-default TFRecordOptions knobs, flush modes, blocked GZIP with libdeflate and zlib) and
# every ZLIB mode, for every record set of the conformance corpus, read back by
# tf.data.TFRecordDataset through ../shared/tools/tf_check.py; each file's payload hashes must
# equal the records written, with no error.
#
# Usage: scripts/tf_interop_compression.sh [PYTHON]   (default ~/tfvenv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-$HOME/tfvenv/bin/python}
CHECK=../shared/tools/tf_check.py
[ -f "$CHECK" ] || CHECK=/work/shared/tools/tf_check.py
DIR=$(mktemp -d /tmp/tf-interop-compression.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

swift run -q InteropFixtures compression "$DIR" >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log"; exit 1; }
"$PYTHON" "$CHECK" "$DIR/gzip" GZIP >"$DIR/gzip.json" 2>"$DIR/tf.log" || true
"$PYTHON" "$CHECK" "$DIR/zlib" ZLIB >"$DIR/zlib.json" 2>>"$DIR/tf.log" || true

python3 - "$DIR" <<'PY'
import json, sys, os
d = sys.argv[1]
expected = json.load(open(os.path.join(d, "expected.json")))
seen, bad = 0, []
for folder in ("gzip", "zlib"):
    report = json.load(open(os.path.join(d, folder + ".json")))
    for f in report["files"]:
        key = folder + "/" + os.path.basename(f["path"])
        seen += 1
        if f.get("error") or f["record_sha256"] != expected.get(key):
            bad.append((key, f.get("error"), f["num_records"], len(expected.get(key, []))))
print(f"TensorFlow {report['tensorflow']}: {seen} files read, {seen - len(bad)} match, {len(bad)} differ")
for b in bad[:20]:
    print("  MISMATCH", b)
missing = len(expected) - seen
if missing:
    print(f"  {missing} written files were not read")
sys.exit(1 if bad or missing else 0)
PY
