#!/usr/bin/env bash
# Our writer against real TensorFlow: the payloads of every intact uncompressed conformance file
# are written again by `tfrecord convert --compression none`, then ../shared/tools/tf_check.py
# reads them with TensorFlow; every record hash must equal the manifest's, and every file's
# sha256 must equal TensorFlow's own file. Needs ~/tfvenv with tensorflow-cpu.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${TFVENV:-$HOME/tfvenv}/bin/python
corpus=${TFRECORD_CONFORMANCE:-../shared/conformance}
swift build --product tfrecord >&2
bin=$(swift build --show-bin-path)/tfrecord
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$corpus" <<'PY' > "$work/list.txt"
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
for f in m["files"]:
    if f["compression"] == "" and f["category"] not in ("corrupt",):
        print(f["path"])
PY
while read -r rel; do
  mkdir -p "$work/out/$(dirname "$rel")"
  "$bin" convert "$corpus/$rel" "$work/out/$rel" --compression none --quiet
done < "$work/list.txt"
"$py" ../shared/tools/tf_check.py "$work/out" "" 2>/dev/null > "$work/tf.json" || true
python3 - "$corpus" "$work/tf.json" "$work/out" <<'PY'
import hashlib, json, sys
m = {f["path"]: f for f in json.load(open(sys.argv[1] + "/manifest.json"))["files"]}
tf = json.load(open(sys.argv[2]))
bad = []
written = [l.strip() for l in open(sys.argv[3] + "/../list.txt") if l.strip()]
if len(tf["files"]) != len(written) or not written:
    bad.append("TensorFlow read %d of the %d files written" % (len(tf["files"]), len(written)))
for f in tf["files"]:
    want = m[f["path"]]
    if f["error"] or f["record_sha256"] != want["record_sha256"]:
        bad.append(f["path"])
    if hashlib.sha256(open(sys.argv[3] + "/" + f["path"], "rb").read()).hexdigest() != want["uncompressed_sha256"]:
        bad.append(f["path"] + " (bytes differ from TensorFlow's file)")
print("TensorFlow read %d files written by our writer: %s" % (len(tf["files"]), "every record equal, every file byte-identical" if not bad else "MISMATCH " + ", ".join(bad)))
sys.exit(1 if bad else 0)
PY
