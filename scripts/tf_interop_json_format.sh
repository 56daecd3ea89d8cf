#!/usr/bin/env bash
# Independent reference for `tfrecord import`: protobuf's own json_format (the protobuf that
# comes with TensorFlow, with TensorFlow's tf.train.Example class). For each input — the COCO-like
# sample (scripts/make_coco_sample.py; COCO mode adds `image/<field>` and the image's bytes as
# `image`), a JSON Lines file and the same objects as one JSON array (made here: every JSON kind,
# nested objects and lists, Unicode, empty lists, nulls, a file field kept as `path:image`) —
# our shards are read with tf.data.TFRecordDataset, every record is parsed by
# tf.train.Example.FromString and turned into json_format.MessageToDict, and that dict must equal
# the input object mapped the documented way (JSONConverter's doc), built here in Python without
# our code: an integer -> int64List (json_format writes int64 as a string), any other number ->
# floatList (compared as float32 bit patterns), a string -> bytesList (base64 of its UTF-8),
# true/false -> int64 1/0, null -> no feature, a list -> a list of that kind (integers and
# floats mixed -> floats; nested lists flattened; empty -> the feature's earlier kind, else
# float), a nested object -> `parent/child` features. Every record, every feature, nothing extra.
# Usage: scripts/tf_interop_json_format.sh   (needs ~/tfvenv with tensorflow; run by test-interop.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${TF_PYTHON:-${TFVENV:-$HOME/tfvenv}/bin/python}
swift build --product tfrecord >&2
bin=$(swift build --show-bin-path)/tfrecord
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/make_coco_sample.py "$work/coco" 12 3 >&2

# JSON Lines and JSON array inputs with every JSON kind the import maps (deterministic).
python3 - "$work" <<'PY'
import json, os, random, sys
work = sys.argv[1]
os.makedirs(work + "/files/sub", exist_ok=True)
rnd = random.Random(18)
texts = ["plain", "naïve café", "emoji 😀", 'quote " backslash \\ slash /', "tab\tnew\nline", "", "\u0001 control"]
objects = []
for i in range(40):
    name = "sub/f%02d.bin" % i if i % 3 else "f%02d.bin" % i
    open(work + "/files/" + name, "wb").write(bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 300))))
    o = {
        "id": i, "big": (-1) ** i * (2 ** 62 + i), "flag": i % 2 == 0,
        "score": round(rnd.uniform(-1000, 1000), rnd.randrange(0, 5)) + 0.5,
        "tiny": float("%.3e" % rnd.uniform(1e-30, 1e-20)),
        "text": texts[i % len(texts)],
        "tags": [texts[(i + k) % len(texts)] for k in range(i % 4)] or ["none"],
        "mixed": [1, 2.25, -3, 4e3][: 1 + i % 4] + [0.5],
        "ints": [rnd.randrange(-2 ** 40, 2 ** 40) for _ in range(i % 5 if i else 2)],   # empty in every 5th: int64 from before
        "later_empty": [] if i < 3 else [1.5 * i],                          # empty before any value: float
        "polygon": [[rnd.randrange(100) + 0.25 for _ in range(4)] for _ in range(1 + i % 3)],
        "bools": [True, False, i % 3 == 0],
        "meta": {"source": "gen", "rank": i * 7, "box": {"w": i + 0.5, "h": [i, i + 1]}, "gone": None},
        "maybe": None if i % 2 else "present",
        "path": name,
    }
    objects.append(o)
with open(work + "/in.jsonl", "w") as f:
    for k, o in enumerate(objects):
        f.write(json.dumps(o, ensure_ascii=k % 2 == 0) + "\n")
json.dump(objects, open(work + "/in.json", "w"), ensure_ascii=False)
PY

"$bin" import "$work/coco/annotations.json" --output "$work/out-coco" --root "$work/coco/images" \
    --records-per-shard 10 --quiet > /dev/null
"$bin" import "$work/in.jsonl" --output "$work/out-jsonl" --file-field path:image --root "$work/files" \
    --records-per-shard 7 --compression gzip --quiet > /dev/null
"$bin" import "$work/in.json" --output "$work/out-array" --file-field path:image --root "$work/files" \
    --records-per-shard 100 --quiet > /dev/null

"$PY" - "$work" <<'PY'
import base64, glob, json, os, struct, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from google.protobuf import json_format
work = sys.argv[1]
f32bits = lambda v: "%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0]

def flatten(v):
    if isinstance(v, list):
        for x in v:
            yield from flatten(x)
    else:
        yield v

def expected_features(obj, kinds, prefix=""):
    """The documented mapping, written from JSONConverter's doc comment (not from its code)."""
    out = {}
    for key, v in obj.items():
        name = prefix + key
        if v is None:
            continue
        if isinstance(v, dict):
            out.update(expected_features(v, kinds, name + "/"))
            continue
        leaves = [x for x in flatten(v) if x is not None]
        if any(isinstance(x, str) for x in leaves):
            kind, values = "bytesList", [base64.b64encode(x.encode()).decode() for x in leaves]
        elif any(isinstance(x, float) for x in leaves):
            kind, values = "floatList", [f32bits(x) for x in leaves]
        elif leaves:
            kind, values = "int64List", [str(int(x)) for x in leaves]
        else:
            kind, values = kinds.get(name, "floatList"), []
        kinds.setdefault(name, kind)
        out[name] = {kind: {"value": values}} if values else {kind: {}}
    return out

def normalized(message_dict):
    """MessageToDict's form with float values as float32 bit patterns."""
    features = message_dict.get("features", {}).get("feature", {})
    out = {}
    for name, feature in features.items():
        ((kind, body),) = feature.items()
        if kind == "floatList" and "value" in body:
            body = {"value": [f32bits(x) for x in body["value"]]}
        out[name] = {kind: body}
    return out

def read(folder, compression):
    shards = sorted(p for p in glob.glob(folder + "/*") if not p.endswith(".tfindex") and not os.path.basename(p).startswith("."))
    dicts = []
    for shard in shards:
        for raw in tf.data.TFRecordDataset(shard, compression_type=compression):
            dicts.append(normalized(json_format.MessageToDict(tf.train.Example.FromString(raw.numpy()))))
    return shards, dicts

failures = []
def compare(label, folder, wanted, compression=""):
    shards, got = read(folder, compression)
    if len(shards) < 1 or len(got) != len(wanted) or not wanted:
        failures.append("%s: %d records in %d shards, expected %d" % (label, len(got), len(shards), len(wanted)))
    bad = 0
    for i, (g, w) in enumerate(zip(got, wanted)):
        if g != w:
            bad += 1
            if bad <= 3:
                diff = sorted(k for k in set(g) | set(w) if g.get(k) != w.get(k))
                failures.append("%s record %d differs in %s: ours %s, json_format of the input %s"
                                % (label, i, diff, {k: g.get(k) for k in diff[:3]}, {k: w.get(k) for k in diff[:3]}))
    features = sum(len(w) for w in wanted)
    print("%s: %d records (%d features) in %d shards compared with json_format: %s"
          % (label, len(got), features, len(shards), "identical" if bad == 0 and len(got) == len(wanted) else "%d DIFFER" % bad))

# COCO: each annotation, its image's fields as image/<name> (not id), and the image file's bytes as `image`.
coco = json.load(open(work + "/coco/annotations.json"))
images = {im["id"]: im for im in coco["images"]}
kinds, wanted = {}, []
for ann in coco["annotations"]:
    im = images[ann["image_id"]]
    f = expected_features(ann, kinds)
    f.update(expected_features({k: v for k, v in im.items() if k != "id"}, kinds, "image/"))
    f["image"] = {"bytesList": {"value": [base64.b64encode(open(work + "/coco/images/" + im["file_name"], "rb").read()).decode()]}}
    wanted.append(f)
compare("COCO sample", work + "/out-coco", wanted)

# JSON Lines and JSON array: the object, with the file named by `path` added as `image` (path kept).
for label, folder, source, compression in (("JSON Lines (gzip)", "out-jsonl", "in.jsonl", "GZIP"), ("JSON array", "out-array", "in.json", "")):
    objects = [json.loads(l) for l in open(work + "/" + source)] if source.endswith("l") else json.load(open(work + "/" + source))
    kinds, wanted = {}, []
    for o in objects:
        f = expected_features(o, kinds)
        f["image"] = {"bytesList": {"value": [base64.b64encode(open(work + "/files/" + o["path"], "rb").read()).decode()]}}
        wanted.append(f)
    compare(label, work + "/" + folder, wanted, compression)

for f in failures:
    print("MISMATCH:", f)
sys.exit(1 if failures else 0)
PY
