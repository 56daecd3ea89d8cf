#!/usr/bin/env bash
# Real-TensorFlow check of ExampleEncoder: records our Codable encoder wrote (the seed's
# Annotation struct, and edge values: NaN, -0.0, infinities, Int64.min/max, empty lists, absent
# optionals, nested `parent/child` names) are parsed by tf.io.parse_example with the matching
# feature_description, and every value is compared with the Swift values they came from
# (floats by bit pattern).
# Usage: scripts/tf_interop_codable.sh   (needs ~/tfvenv with tensorflow)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${TF_PYTHON:-$HOME/tfvenv/bin/python}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift run -q InteropFixtures codable "$OUT" >/dev/null
"$PY" - "$OUT" <<'PYEOF'
import json, os, struct, sys, base64
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
out = sys.argv[1]
want = json.load(open(os.path.join(out, "expected.json")))
bits = lambda xs: ["%08x" % struct.unpack("<I", struct.pack("<f", x))[0] for x in xs]
failures = 0
def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("DIFFERS:", what)

spec = {
    "image": tf.io.FixedLenFeature([], tf.string), "path": tf.io.FixedLenFeature([], tf.string),
    "area": tf.io.FixedLenFeature([], tf.float32), "bbox": tf.io.FixedLenFeature([4], tf.float32),
    "category_id": tf.io.FixedLenFeature([], tf.int64), "id": tf.io.FixedLenFeature([], tf.int64),
    "image_id": tf.io.FixedLenFeature([], tf.int64),
}
n = 0
for batch in tf.data.TFRecordDataset(os.path.join(out, "annotations.tfrecord")).batch(64):
    got = tf.io.parse_example(batch, spec)
    for j in range(int(batch.shape[0])):
        w = want["annotations"][n]
        check(base64.b64encode(got["image"][j].numpy()).decode() == w["image_b64"], f"annotation {n} image")
        check(got["path"][j].numpy().decode() == w["path"], f"annotation {n} path")
        check(bits([got["area"][j].numpy()]) == [w["area"]], f"annotation {n} area")
        check(bits(got["bbox"][j].numpy().tolist()) == w["bbox"], f"annotation {n} bbox")
        for k in ("category_id", "id", "image_id"):
            check(int(got[k][j].numpy()) == w[k], f"annotation {n} {k}")
        n += 1
check(n == len(want["annotations"]), "annotation count")
print(f"annotations: {n} records parsed by tf.io.parse_example")

edge_spec = {
    "floats": tf.io.VarLenFeature(tf.float32), "ints": tf.io.VarLenFeature(tf.int64),
    "names": tf.io.VarLenFeature(tf.string), "empty": tf.io.VarLenFeature(tf.float32),
    "maybe": tf.io.VarLenFeature(tf.int64), "nested/depth": tf.io.FixedLenFeature([], tf.int64),
    "nested/label": tf.io.FixedLenFeature([], tf.string),
}
m = 0
for i, raw in enumerate(tf.data.TFRecordDataset(os.path.join(out, "edges.tfrecord"))):
    got = tf.io.parse_single_example(raw, edge_spec)
    w = want["edges"][i]
    check(bits(got["floats"].values.numpy().tolist()) == w["floats"], f"edge {i} floats")
    check([str(x) for x in got["ints"].values.numpy().tolist()] == w["ints"], f"edge {i} ints")
    check([x.decode() for x in got["names"].values.numpy().tolist()] == w["names"], f"edge {i} names")
    check(got["empty"].values.numpy().tolist() == [], f"edge {i} empty")
    check([str(x) for x in got["maybe"].values.numpy().tolist()] == w["maybe"], f"edge {i} maybe")
    check(int(got["nested/depth"].numpy()) == w["depth"], f"edge {i} nested/depth")
    check(got["nested/label"].numpy().decode() == w["label"], f"edge {i} nested/label")
    m += 1
check(m == len(want["edges"]), "edge count")
print(f"edges: {m} records parsed by tf.io.parse_single_example")
print(f"{failures} differences")
sys.exit(1 if failures else 0)
PYEOF
