#!/usr/bin/env bash
# Real-TensorFlow check of our Example / SequenceExample encoder: every Example and
# SequenceExample record of the conformance corpus is decoded and re-encoded by us, written with
# our RecordWriter, read back by TensorFlow (shared/tools/tf_check.py), and compared with the
# manifest's values (floats by bit pattern).
# Usage: scripts/tf_interop_examples.sh   (needs ~/tfvenv with tensorflow)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${TF_PYTHON:-$HOME/tfvenv/bin/python}
CORPUS=${TFRECORD_CONFORMANCE:-$(cd .. && pwd)/shared/conformance}
TOOLS=$(dirname "$CORPUS")/tools
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift run -q InteropFixtures examples "$OUT" >/dev/null
"$PY" "$TOOLS/tf_check.py" "$OUT/examples" --features > "$OUT/examples.json"
"$PY" "$TOOLS/tf_check.py" "$OUT/sequence" --sequence > "$OUT/sequence.json"
# TensorFlow's C++ parser (tf.io.parse_single_example, VarLenFeature per key) on our bytes.
"$PY" - "$CORPUS/manifest.json" "$OUT/examples" > "$OUT/parse.txt" 2>"$OUT/parse.err" <<'PYEOF' || true
import json, os, struct, sys, base64
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
manifest = {f["path"].replace("/", "__"): f for f in json.load(open(sys.argv[1]))["files"]}
types = {"int64": tf.int64, "float_bits": tf.float32, "bytes_b64": tf.string}
bad = total = 0
for name in sorted(os.listdir(sys.argv[2])):
    want_all = manifest[name]["features"]
    for i, raw in enumerate(tf.data.TFRecordDataset(os.path.join(sys.argv[2], name))):
        want = want_all[i]
        spec = {k: tf.io.VarLenFeature(types[next(kk for kk in v if kk in types)]) for k, v in want.items() if v}
        if not spec:
            continue
        total += 1
        got = tf.io.parse_single_example(raw, spec)
        for k, v in want.items():
            if not v:
                continue
            vals = got[k].values.numpy().tolist()
            if "int64" in v: ok = vals == v["int64"]
            elif "float_bits" in v: ok = ["%08x" % struct.unpack("<I", struct.pack("<f", x))[0] for x in vals] == v["float_bits"]
            else: ok = [base64.b64encode(x).decode() for x in vals] == v["bytes_b64"]
            if not ok:
                bad += 1
                print("parse_single_example differs:", name, i, k)
if total == 0: bad += 1; print("parse_single_example parsed no record")
print(f"parse_single_example: {total} records parsed, {bad} features differ")
PYEOF
cat "$OUT/parse.txt"
grep -q "records parsed" "$OUT/parse.txt" || { tail -5 "$OUT/parse.err"; echo "tf_interop_examples: TensorFlow's parse_single_example check did not run" >&2; exit 1; }
python3 - "$CORPUS/manifest.json" "$OUT/examples.json" "$OUT/sequence.json" <<'PYEOF'
import json, sys
manifest = {f["path"].replace("/", "__"): f for f in json.load(open(sys.argv[1]))["files"]}

def bits_view(features):
    # Compare floats by bit pattern only; drop the printed numbers.
    return {k: {kk: vv for kk, vv in v.items() if kk != "float"} for k, v in features.items()}

checked = failures = 0
for report, key in ((sys.argv[2], "features"), (sys.argv[3], "sequence_examples")):
    doc = json.load(open(report))
    for f in doc["files"]:
        want = manifest[f["path"]][key]
        got = f.get(key)
        if f["error"] is not None:
            print("FAIL", f["path"], "TensorFlow error:", f["error"]); failures += 1; continue
        if key == "features":
            same = [bits_view(a) for a in got] == [bits_view(b) for b in want]
        else:
            norm = lambda s: {"context": bits_view(s["context"]),
                              "feature_lists": {k: [bits_view({"_": x})["_"] for x in v] for k, v in s["feature_lists"].items()}}
            same = [norm(a) for a in got] == [norm(b) for b in want]
        checked += len(want)
        if not same:
            failures += 1
            print("FAIL", f["path"])
        else:
            print("ok  ", f["path"], len(want), "records")
if checked == 0: failures += 1; print("FAIL no record was checked")
print(f"TensorFlow {doc['tensorflow']}: {checked} records checked, {failures} files differ")
sys.exit(1 if failures else 0)
PYEOF
grep -q " 0 features differ" "$OUT/parse.txt"
