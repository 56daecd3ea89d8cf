#!/usr/bin/env bash
# The tfrecord CLI against the loopback peers (run by scripts/test-remote.sh after the servers are up
# and the package is built): s3:// and https:// inputs of cat, count, get, verify, index, and the
# exit codes (0 ok, 1 damaged, 2 usage, 3 I/O). boto3 (scripts/remote_test_peer.py) uploads.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TFRECORD_TEST_S3_ENDPOINT:?run by scripts/test-remote.sh}"
tf=$(swift build --show-bin-path)/tfrecord
corpus=$TFRECORD_TEST_CORPUS
work=$(mktemp -d /tmp/remote-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
bucket="cli-$(date +%s)-$$"
peer() { python3 scripts/remote_test_peer.py; }
echo "{\"command\":\"create_bucket\",\"endpoint\":\"$TFRECORD_TEST_S3_ENDPOINT\",\"bucket\":\"$bucket\"}" | peer >/dev/null
echo "{\"command\":\"put_files\",\"endpoint\":\"$TFRECORD_TEST_S3_ENDPOINT\",\"bucket\":\"$bucket\",\"files\":{
  \"d/mixed.tfrecord\":\"$corpus/raw/mixed.tfrecord\",\"d/text.gz\":\"$corpus/raw/text_600k.gzip.tfrecord\",
  \"bad.tfrecord\":\"$corpus/corrupt/payload_bitflip.tfrecord\"}}" | peer >/dev/null
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_ENDPOINT AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_CA_BUNDLE=$TFRECORD_TEST_CA_FILE TFRECORD_CACHE_DIR=$work/cache AWS_MAX_ATTEMPTS=2
fail() { echo "remote_cli_check: $*" >&2; exit 1; }
expect_exit() {  # code, command...
  local want=$1; shift
  set +e; "$@" >"$work/out" 2>"$work/err"; local got=$?; set -e
  [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "exit $got (want $want): $*"; }
}
s3=s3://$bucket
https=$TFRECORD_TEST_HTTPS_URL/conformance

# cat: the same records as the local file, from S3 and over TLS, any compression.
for pair in "$s3/d/mixed.tfrecord:raw/mixed.tfrecord" "$s3/d/text.gz:raw/text_600k.gzip.tfrecord" \
            "$https/raw/mixed.zlib.tfrecord:raw/mixed.zlib.tfrecord"; do
  remote=${pair%:*}; local=$corpus/${pair##*:}
  [ "$("$tf" cat --format base64 "$remote")" = "$("$tf" cat --format base64 "$local")" ] || fail "cat $remote differs"
done
# A prefix lists both shards in key order.
[ "$("$tf" cat --format hex "$s3/d/")" = "$("$tf" cat --format hex "$corpus/raw/mixed.tfrecord" "$corpus/raw/text_600k.gzip.tfrecord")" ] || fail "cat prefix"

# count without an index reads the object (and says so); get refuses and names the command.
expect_exit 0 "$tf" count "$s3/d/mixed.tfrecord"
grep -q "^45	$s3/d/mixed.tfrecord" "$work/out" || fail "count: $(cat "$work/out")"
grep -q "tfrecord index $s3/d/mixed.tfrecord" "$work/err" || fail "count names tfrecord index"
expect_exit 2 "$tf" get "$s3/d/mixed.tfrecord" 0
grep -q "no index" "$work/err" && grep -q "tfrecord index $s3/d/mixed.tfrecord" "$work/err" || fail "get without index: $(cat "$work/err")"

# index uploads the sidecars beside the shards; then count reads only them, get is by range.
expect_exit 0 "$tf" index "$s3/d/"
grep -q "^45	$s3/d/mixed.tfrecord.tfindex" "$work/out" || fail "index: $(cat "$work/out")"
echo "{\"command\":\"exists\",\"endpoint\":\"$TFRECORD_TEST_S3_ENDPOINT\",\"bucket\":\"$bucket\",\"key\":\"d/text.gz.tfindex\"}" | peer | grep -q true || fail "sidecar not uploaded"
expect_exit 0 "$tf" count "$s3/d/"
[ -s "$work/err" ] && fail "count with sidecars warned: $(cat "$work/err")"
grep -q "^195	total" "$work/out" || fail "count total: $(cat "$work/out")"
[ "$("$tf" get "$s3/d/" 0 44 45 194 100)" = "$("$tf" get "$corpus/raw/mixed.tfrecord" "$corpus/raw/text_600k.gzip.tfrecord" 0 44 45 194 100)" ] || fail "get from S3 differs"

# https:// cannot take an upload: --cache keeps the index locally, then get works.
expect_exit 2 "$tf" index "$https/raw/random_sizes.tfrecord"
expect_exit 0 "$tf" index --cache "$https/raw/random_sizes.tfrecord"
[ "$("$tf" get "$https/raw/random_sizes.tfrecord" 29 0 7)" = "$("$tf" get "$corpus/raw/random_sizes.tfrecord" 29 0 7)" ] || fail "get over https"

# Exit codes: damage 1, bad address 2, missing object (I/O) 3.
expect_exit 1 "$tf" verify "$s3/bad.tfrecord"
grep -q "corrupted record" "$work/err" || fail "verify names the damage"
expect_exit 2 "$tf" cat "s3://"
expect_exit 3 "$tf" cat "$s3/missing.tfrecord"
grep -q "$s3/missing.tfrecord" "$work/err" || fail "the missing object is named"
echo "remote_cli_check: cat, count, get, index, verify over s3:// and https:// passed"
