#!/usr/bin/env bash
# The tfrecord CLI writing to S3 (moto) with boto3 and real TensorFlow checking the result. Run by
# scripts/test-remote.sh with the servers up (needs its $TFRECORD_REMOTE_STATE/env.sh):
#   1. convert to s3:// equals the local convert, byte for byte (gzip, blocked gzip, lz4, none);
#   2. import --output s3://… of the COCO sample equals the local import (shards and sidecars present),
#      and TensorFlow reads the downloaded shards back with every value equal (as tf_interop_import.sh);
#   3. while an import uploads, no listing ever shows a sidecar before its shard;
#   4. kill -9 of an import in the middle of a multipart upload leaves no object under a final name;
#   5. an upload that keeps failing (connection resets) exits 3 naming the object, and leaves
#      neither the object nor pending parts.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${TFRECORD_REMOTE_STATE:?run by scripts/test-remote.sh}
# shellcheck disable=SC1091
. "$state/env.sh"
py=${TFVENV:-$HOME/tfvenv}/bin/python
bin=$(swift build --show-bin-path)/tfrecord
[ -x "$bin" ] || swift build --product tfrecord >&2
peer() { python3 scripts/remote_write_peer.py "$TFRECORD_TEST_S3_ENDPOINT" "$1" "$bucket" "${@:2}"; }
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_ENDPOINT
work=$(mktemp -d)
bucket=cli-write-$$
cleanup() {
  curl -s -X POST -d '{"ms": 0}' "$TFRECORD_TEST_S3_FAULTS/latency" > /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
peer bucket
fail() { echo "remote-write-cli: FAIL: $*" >&2; exit 1; }

# 1. convert
"$bin" generate "$work/in.tfrecord" --size 3000 --records 6000 > /dev/null
for mode in "none" "gzip" "gzip --blocked 1M" "lz4"; do
  set -- $mode
  name=$1${2:+-blocked}
  "$bin" convert "$work/in.tfrecord" "$work/local-$name.out" --compression $mode --quiet
  "$bin" convert "$work/in.tfrecord" "s3://$bucket/convert/$name.out" --compression $mode --quiet
done
peer download convert/ "$work/converted"
for name in none gzip gzip-blocked lz4; do
  cmp "$work/local-$name.out" "$work/converted/$name.out" || fail "convert $name: the object differs from the local file"
  echo "convert $name: the s3 object (boto3) == the local file, $(stat -c %s "$work/local-$name.out") bytes"
done

# 2. import the COCO sample
python3 scripts/make_coco_sample.py "$work/sample" 24 3 > /dev/null
"$bin" import "$work/sample/annotations.json" --output "$work/local-shards" --root "$work/sample/images" \
    --records-per-shard 16 --compression gzip --quiet > /dev/null
"$bin" import "$work/sample/annotations.json" --output "s3://$bucket/coco/" --root "$work/sample/images" \
    --records-per-shard 16 --compression gzip --quiet > "$work/import.out"
grep -q "s3://$bucket/coco/data-00000-of-00005.tfrecord" "$work/import.out" || fail "import did not report s3:// shards: $(cat "$work/import.out")"
peer download coco/ "$work/downloaded"
for f in "$work/local-shards"/*.tfrecord; do
  name=$(basename "$f")
  cmp "$f" "$work/downloaded/$name" || fail "import: $name differs from the local import"
  [ -f "$work/downloaded/$name.tfindex" ] || fail "import: $name has no sidecar in the bucket"
done
[ "$(ls "$work/downloaded" | wc -l)" = "$(ls "$work/local-shards" | wc -l)" ] || fail "import: other objects than the local files"
"$bin" verify "$work/downloaded" > /dev/null || fail "verify of the downloaded shards"
"$py" ../shared/tools/tf_check.py "$work/downloaded" GZIP --features 2>/dev/null > "$work/tf.json" || true
python3 - "$work/tf.json" "$work/sample" <<'PY' || fail "TensorFlow did not read the uploaded import back equal"
import base64, json, struct, sys
tf = json.load(open(sys.argv[1])); sample = sys.argv[2]
coco = json.load(open(sample + "/annotations.json"))
images = {im["id"]: im for im in coco["images"]}
records = [feat for f in sorted(tf["files"], key=lambda f: f["path"]) for feat in (f.get("features") or [])]
bad = [f["error"] for f in tf["files"] if f["error"]]
f32 = lambda v: struct.unpack("<f", struct.pack("<f", v))[0]
if len(records) != len(coco["annotations"]): bad.append("record count %d != %d" % (len(records), len(coco["annotations"])))
for rec, ann in zip(records, coco["annotations"]):
    im = images[ann["image_id"]]
    img = open(sample + "/images/" + im["file_name"], "rb").read()
    for k, v in {"id": ann["id"], "image_id": ann["image_id"], "category_id": ann["category_id"],
                 "image/width": im["width"], "image/height": im["height"]}.items():
        if rec[k].get("int64") != [v]: bad.append("%s: %r != %r" % (k, rec[k], v))
    if rec["bbox"].get("float") != [f32(v) for v in ann["bbox"]]: bad.append("bbox %r" % rec["bbox"])
    if base64.b64decode(rec["image"]["bytes_b64"][0]) != img: bad.append("image bytes differ for annotation %d" % ann["id"])
print("import s3://: TensorFlow %s read %d records from the downloaded shards; %s"
      % (tf["tensorflow"], len(records), "all values equal" if not bad else "MISMATCH: " + "; ".join(map(str, bad[:5]))))
sys.exit(1 if bad else 0)
PY

# 3. sidecars never before their shards: an import through the proxy (50 ms per request), listed
#    every 20 ms by boto3 while it runs.
proxy=$TFRECORD_TEST_S3_PROXY_ENDPOINT
curl -s -X POST -d '{"ms": 50}' "$TFRECORD_TEST_S3_FAULTS/latency" > /dev/null
AWS_ENDPOINT_URL_S3=$proxy "$bin" import "$work/sample/annotations.json" --output "s3://$bucket/watched/" \
    --root "$work/sample/images" --records-per-shard 4 --compression gzip --quiet > /dev/null &
importer=$!
peer watch watched/ "$importer" || fail "a sidecar was listed before its shard"
wait "$importer" || fail "the watched import failed"
[ "$(peer list watched/ | grep -c '\.tfindex$')" = 18 ] || fail "watched import: expected 18 sidecars"

# 4. kill -9 in the middle of an upload: shards of ~12 MiB (3 parts of 5 MiB... 8 MiB parts by
#    default: 2 parts), uploaded through the proxy with 300 ms per request, one shard at a time.
mkdir -p "$work/big"
python3 - "$work/big" <<'PY'
import json, os, sys
folder = sys.argv[1]
with open(folder + "/records.jsonl", "w") as out:
    for i in range(24):
        with open("%s/blob-%02d.bin" % (folder, i), "wb") as f:
            f.write(os.urandom(1 << 20))
        out.write(json.dumps({"id": i, "blob": "blob-%02d.bin" % i}) + "\n")
PY
curl -s -X POST -d '{"ms": 300}' "$TFRECORD_TEST_S3_FAULTS/latency" > /dev/null
AWS_ENDPOINT_URL_S3=$proxy "$bin" import "$work/big/records.jsonl" --output "s3://$bucket/killed/" --root "$work/big" \
    --file-field blob --records-per-shard 12 --shards 1 --quiet > /dev/null 2>&1 &
victim=$!
uploading=$(peer wait-upload killed/ 120) || { kill -9 "$victim" 2>/dev/null; fail "the import never started a multipart upload"; }
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
curl -s -X POST -d '{"ms": 0}' "$TFRECORD_TEST_S3_FAULTS/latency" > /dev/null
sleep 1
left=$(peer list killed/)
[ -z "$left" ] || fail "kill -9 mid-upload left objects under final names: $left"
echo "kill -9 during the upload of $uploading: no object under killed/ (pending parts: $(peer uploads | grep -c killed/), for the lifecycle rule)"
peer abort-all

# 5. an upload whose parts keep failing: exit 3, the object named, nothing left.
"$bin" generate "$work/big.tfrecord" --size 100000 --records 200 > /dev/null
curl -s -X POST -d "[{\"kind\": \"drop\", \"match\": \"PUT /$bucket/failing.tfrecord?partNumber=2\"}, {\"kind\": \"drop\", \"match\": \"PUT /$bucket/failing.tfrecord?partNumber=2\"}]" \
    "$TFRECORD_TEST_S3_FAULTS/faults" > /dev/null
status=0
AWS_MAX_ATTEMPTS=2 AWS_ENDPOINT_URL_S3=$proxy "$bin" convert "$work/big.tfrecord" "s3://$bucket/failing.tfrecord" --compression none --quiet \
    2> "$work/failing.err" || status=$?
[ "$status" = 3 ] || fail "a failing upload exited $status, not 3: $(cat "$work/failing.err")"
grep -q "^s3://$bucket/failing.tfrecord: .*after 2 attempts" "$work/failing.err" || fail "the error does not name the object: $(cat "$work/failing.err")"
[ -z "$(peer list failing)" ] || fail "a failed upload left an object"
[ -z "$(peer uploads)" ] || fail "a failed upload left pending parts: $(peer uploads)"
echo "failing upload: exit 3, $(cat "$work/failing.err")"
echo "remote-write-cli: all checks passed"
