#!/usr/bin/env bash
# Imports the COCO-like sample with every compression and checks with real TensorFlow
# (../shared/tools/tf_check.py) that each shard reads and that every Example holds exactly the
# annotation's values and the image file's bytes. Needs ~/tfvenv with tensorflow-cpu.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${TFVENV:-$HOME/tfvenv}/bin/python
check=../shared/tools/tf_check.py
swift build --product tfrecord >&2
bin=$(swift build --show-bin-path)/tfrecord
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/make_coco_sample.py "$work/sample" 24 3 >&2
status=0
for mode in "none" "gzip" "zlib" "gzip --blocked 64K" "lz4"; do
  set -- $mode
  out="$work/shards-${1}${2:+-blocked}"
  "$bin" import "$work/sample/annotations.json" --output "$out" --root "$work/sample/images" \
      --records-per-shard 16 --compression $mode --quiet > /dev/null
  if [ "$1" = lz4 ]; then
    # LZ4 is our extension: TensorFlow cannot read it; lz4 -d must give our uncompressed bytes.
    for f in "$out"/*.tfrecord; do lz4 -dq "$f" "$f.plain"; "$bin" verify --compression none "$f.plain" > /dev/null; rm "$f.plain"; done
    echo "lz4: every shard decompresses with lz4 -d to valid TFRecord framing"
    continue
  fi
  tfcomp=$(echo "$1" | tr a-z A-Z); [ "$tfcomp" = NONE ] && tfcomp=""
  "$py" "$check" "$out" "$tfcomp" --features 2>/dev/null > "$work/tf.json" || true
  if python3 - "$work/tf.json" "$work/sample" "$mode" <<'PY'
import base64, hashlib, json, struct, sys
tf = json.load(open(sys.argv[1])); sample = sys.argv[2]; mode = sys.argv[3]
coco = json.load(open(sample + "/annotations.json"))
images = {im["id"]: im for im in coco["images"]}
records = [feat for f in sorted(tf["files"], key=lambda f: f["path"]) for feat in (f.get("features") or [])]
errors = [f["error"] for f in tf["files"] if f["error"]]
f32 = lambda v: struct.unpack("<f", struct.pack("<f", v))[0]
bad = list(errors)
if len(records) != len(coco["annotations"]): bad.append("record count %d != %d" % (len(records), len(coco["annotations"])))
for rec, ann in zip(records, coco["annotations"]):
    im = images[ann["image_id"]]
    img = open(sample + "/images/" + im["file_name"], "rb").read()
    want = {"id": ann["id"], "image_id": ann["image_id"], "category_id": ann["category_id"], "iscrowd": ann["iscrowd"],
            "image/width": im["width"], "image/height": im["height"]}
    for k, v in want.items():
        if rec[k].get("int64") != [v]: bad.append("%s: %r != %r" % (k, rec[k], v))
    if rec["bbox"].get("float") != [f32(v) for v in ann["bbox"]]: bad.append("bbox %r" % rec["bbox"])
    if rec["area"].get("float") != [f32(ann["area"])]: bad.append("area %r" % rec["area"])
    if base64.b64decode(rec["image"]["bytes_b64"][0]) != img: bad.append("image bytes differ for annotation %d" % ann["id"])
    if base64.b64decode(rec["image/file_name"]["bytes_b64"][0]).decode() != im["file_name"]: bad.append("file_name")
print("%s: TensorFlow read %d records; %s" % (mode, len(records), "all values equal" if not bad else "MISMATCH: " + "; ".join(bad[:5])))
sys.exit(1 if bad else 0)
PY
  then :; else status=1; fi
done
exit $status
