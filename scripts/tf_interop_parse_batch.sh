#!/usr/bin/env bash
# Real-TensorFlow check of ExampleBatchParser: for every conformance Example file (all its
# records as one batch; three specs made from the file) and for made-up batches with one bad
# record, tf.io.parse_example with the same spec must give the same values (floats by bit
# pattern, ragged rows for VarLenFeature) or the same error (kind and feature).
# Usage: scripts/tf_interop_parse_batch.sh   (needs ~/tfvenv with tensorflow)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${TF_PYTHON:-$HOME/tfvenv/bin/python}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift run -q InteropFixtures parse-batch "$OUT" >/dev/null
"$PY" - "$OUT/batches.json" <<'PYEOF'
import json, os, re, struct, sys, base64
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
entries = json.load(open(sys.argv[1]))
dtypes = {"int64": tf.int64, "float": tf.float32, "bytes": tf.string}
def enc(kind, xs):
    if kind == "int64": return [str(int(x)) for x in xs]
    if kind == "float": return ["%08x" % struct.unpack("<I", struct.pack("<f", x))[0] for x in xs]
    return [base64.b64encode(x).decode() for x in xs]
def dec(kind, xs):
    if kind == "int64": return [int(x) for x in xs]
    if kind == "float": return [struct.unpack("<f", struct.pack("<I", int(x, 16)))[0] for x in xs]
    return [base64.b64decode(x) for x in xs]
def classify(message):
    if "required but could not be found" in message: return "missingFeature"
    if "Data types don't match" in message: return "wrongKind"
    if "values != expected" in message or "Values size" in message: return "wrongCount"
    return "malformed"
failures = values_checked = errors_checked = 0
for e in entries:
    raws = list(tf.data.TFRecordDataset(e["file"], compression_type=e["compression"]))
    batch = tf.stack([raws[i] for i in e["records"]])
    spec = {}
    for name, s in e["spec"].items():
        if s["type"] == "var":
            spec[name] = tf.io.VarLenFeature(dtypes[s["kind"]])
        else:
            default = dec(s["kind"], s["default"]) if "default" in s else None
            spec[name] = tf.io.FixedLenFeature(s["shape"], dtypes[s["kind"]], default_value=default)
    want = e["result"]
    try:
        got = tf.io.parse_example(batch, spec)
    except tf.errors.InvalidArgumentError as err:
        message = err.message
        if "error" not in want:
            failures += 1; print("TF error, we parsed:", e["file"], message[-400:]); continue
        w = want["error"]
        kind = classify(message)
        named = re.search(r"(?:Key|Feature): ([^ ,]*)", message)
        ok = kind == w["kind"] and (w["kind"] == "malformed" or (named and named.group(1).rstrip(".") == w["feature"]))
        if not ok:
            failures += 1; print("different error:", e["file"], w, "TF:", message[:300])
        errors_checked += 1
        continue
    if "error" in want:
        failures += 1; print("we failed, TF parsed:", e["file"], want["error"]); continue
    for name, s in e["spec"].items():
        col = want["columns"][name]
        t = got[name]
        if s["type"] == "var":
            rows = tf.RaggedTensor.from_sparse(t) if isinstance(t, tf.SparseTensor) else t
            got_rows = [enc(s["kind"], r) for r in rows.to_list()]
            # from_sparse drops trailing empty rows only if dense_shape says so; pad to batch.
            got_rows += [[] for _ in range(len(col["values"]) - len(got_rows))]
        else:
            arr = t.numpy().reshape(len(e["records"]), -1) if len(e["records"]) else []
            got_rows = [enc(s["kind"], r.tolist()) for r in arr]
            if list(t.shape) != col["shape"]:
                failures += 1; print("shape differs:", e["file"], name, list(t.shape), col["shape"])
        if got_rows != col["values"]:
            failures += 1; print("values differ:", e["file"], name)
        values_checked += 1
print(f"parse_example: {len(entries)} batches, {values_checked} columns compared, {errors_checked} errors compared, {failures} differences")
sys.exit(1 if failures else 0)
PYEOF
