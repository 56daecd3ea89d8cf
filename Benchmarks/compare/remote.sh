#!/usr/bin/env bash
# Object storage (issue 16): ours against the raw transfer ceiling of the same objects on the same
# loopback servers in the same run (moto for the S3 API, nginx for HTTP, scripts/fault_proxy.py
# adding round-trip time), with boto3's transfer manager (the AWS CLI's) and curl as the peers.
#
#   1. upload: `tfrecord convert FILE s3://…` (multipart, 8 MiB parts, 4 in flight) vs boto3
#      upload_file of the same file (8 MiB parts, 10 threads);
#   2. sequential read of a remote dataset, every CRC checked (RemoteBench sequential), vs boto3
#      download_fileobj of the same objects to a sink that drops them, and vs curl from nginx;
#   3. random lookups with 0, 5 and 20 ms added per request at 1-64 requests in flight, records/s
#      against 0.7 × in-flight / RTT; the same batch against "download the shards, then read
#      locally" (time to first record and total);
#   4. count of 1,000 shards from their sidecars at 20 ms per request (target < 2 s).
# Usage: remote.sh [DATA_DIR] [--quick]   (--quick: CI-sized data, 64 MiB instead of 1 GiB)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-/tmp/tfrecord-bench}
quick=${REMOTE_BENCH_QUICK:-0}
[ "${2:-}" = --quick ] && quick=1
mkdir -p "$data/remote"
compare_pkg=$root/Benchmarks/ExampleComparison
bin=${TFRECORD_BIN:-$compare_pkg/.build/release/tfrecord}
rbench=${REMOTE_BENCH_BIN:-$compare_pkg/.build/release/RemoteBench}
[ -x "$bin" ] || { (cd "$compare_pkg" && swift build -c release --product tfrecord >&2); bin=$compare_pkg/.build/release/tfrecord; }
[ -x "$rbench" ] || (cd "$compare_pkg" && swift build -c release --product RemoteBench >&2) || true
export TFRECORD_REMOTE_STATE=${TFRECORD_REMOTE_STATE:-/tmp/tfrecord-remote-bench}
trap '"$root/scripts/remote-servers.sh" stop >/dev/null 2>&1 || true' EXIT
"$root/scripts/remote-servers.sh" start >/dev/null
# shellcheck disable=SC1091
. "$TFRECORD_REMOTE_STATE/env.sh"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_ENDPOINT AWS_CA_BUNDLE=$TFRECORD_TEST_CA_FILE
export TFRECORD_CACHE_DIR=$data/remote/cache
bucket=bench-$$
peer() { python3 "$here/remote_peer.py" "$TFRECORD_TEST_S3_ENDPOINT" "$1" "$bucket" "${@:2}"; }
latency() { curl -s -X POST -d "{\"ms\": $1}" "$TFRECORD_TEST_S3_FAULTS/latency" > /dev/null; }
peer bucket
mib=$([ "$quick" = 1 ] && echo 64 || echo 1024)
shards=8
echo "Data: $mib MiB per dataset ($([ "$quick" = 1 ] && echo quick || echo full) run), moto $(python3 -c 'import moto; print(moto.__version__)'), boto3 $(python3 -c 'import boto3; print(boto3.__version__)'), all on 127.0.0.1; MB = 10^6 bytes."
echo

# 1. Upload.
file=$data/remote/upload-${mib}m.tfrecord
[ -f "$file" ] || "$bin" generate "$file" --size 10240 --total-bytes $((mib << 20)) > /dev/null
bytes=$(stat -c %s "$file")
ours_up=1e9; peer_up=1e9
for run in 1 2; do
  start=$(date +%s.%N)
  "$bin" convert "$file" "s3://$bucket/upload/ours-$run.tfrecord" --compression none --quiet
  t=$(echo "$(date +%s.%N) - $start" | bc)
  ours_up=$(python3 -c "print(min($ours_up, $t))")
  t=$(peer upload "upload/boto3-$run.tfrecord" "$file" | awk '{print $2}')
  peer_up=$(python3 -c "print(min($peer_up, $t))")
done
echo "| Upload of $mib MiB (best of 2, wall clock) | ours MB/s | boto3 upload_file MB/s | ratio |"
echo "|---|---|---|---|"
python3 -c "b=$bytes; o=$ours_up; p=$peer_up; print('| tfrecord convert → s3:// (8 MiB parts, 4 in flight) vs boto3 transfer manager (8 MiB, 10 threads) | %.0f | %.0f | %.2fx |' % (b/o/1e6, b/p/1e6, p/o))"
echo

if [ ! -x "$rbench" ] || ! "$rbench" count "s3://$bucket/upload/" > /dev/null 2>&1; then
  echo "(RemoteBench is not built or cannot read s3:// yet: the read benchmarks below need the remote-read integration.)"
  exit 0
fi

# 2. Sequential read.
"$bin" generate "s3://$bucket/seq/" --size 10240 --total-bytes $((mib << 20)) --records-per-shard $(( (mib << 20) / 10256 / shards + 1 )) > /dev/null
www=$TFRECORD_TEST_WWW/bench-$$
mkdir -p "$www"
"$bin" generate "$www/local.tfrecord" --size 10240 --total-bytes $((mib << 20)) > /dev/null
ours_seq=1e9; boto_seq=1e9; ours_http=1e9; curl_http=1e9
for run in 1 2; do
  line=$("$rbench" sequential "s3://$bucket/seq/")
  ours_seq=$(python3 -c "print(min($ours_seq, $(echo "$line" | cut -f3)))"); seq_bytes=$(echo "$line" | cut -f2)
  line=$(peer download seq/)
  boto_seq=$(python3 -c "print(min($boto_seq, $(echo "$line" | awk '{print $2}')))")
  line=$("$rbench" sequential "$TFRECORD_TEST_HTTP_URL/bench-$$/local.tfrecord")
  ours_http=$(python3 -c "print(min($ours_http, $(echo "$line" | cut -f3)))"); http_bytes=$(echo "$line" | cut -f2)
  start=$(date +%s.%N); curl -s -o /dev/null "$TFRECORD_TEST_HTTP_URL/bench-$$/local.tfrecord"
  curl_http=$(python3 -c "print(min($curl_http, $(echo "$(date +%s.%N) - $start" | bc)))")
done
echo "| Sequential read, $mib MiB, CRCs checked (best of 2) | ours MB/s | peer MB/s (raw transfer) | ratio | target | met |"
echo "|---|---|---|---|---|---|"
python3 - "$seq_bytes" "$ours_seq" "$boto_seq" "$http_bytes" "$ours_http" "$curl_http" <<'PY'
import sys
sb, os_, bs, hb, oh, ch = map(float, sys.argv[1:])
r = bs / os_
print("| S3 (moto), %d shards: RemoteBench sequential vs boto3 download_fileobj | %.0f | %.0f | %.2fx | >= 0.8x | %s |" % (8, sb / os_ / 1e6, sb / bs / 1e6, r, "yes" if r >= 0.8 else "no"))
r = ch / oh
print("| HTTP (nginx), one object: RemoteBench sequential vs curl -o /dev/null | %.0f | %.0f | %.2fx | >= 0.8x | %s |" % (hb / oh / 1e6, hb / ch / 1e6, r, "yes" if r >= 0.8 else "no"))
PY
echo

# 3. Random lookups through the proxy with added round-trip time.
"$bin" generate "s3://$bucket/rand/" --size 1024 --records $(( quick == 1 ? 65536 : 262144 )) --records-per-shard $(( quick == 1 ? 16384 : 65536 )) > /dev/null
results=$data/remote/lookups.tsv
: > "$results"
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_PROXY_ENDPOINT
for ms in 0 5 20; do
  latency "$ms"
  for inflight in 1 4 16 64; do
    count=$(( inflight * (ms == 0 ? 40 : 12) ))
    [ $count -lt 200 ] && count=200
    line=$("$rbench" lookups --in-flight "$inflight" --count "$count" --repeat 2 "s3://$bucket/rand/")
    echo "$ms	$line" >> "$results"
  done
done
latency 20
first_ours=$("$rbench" first "s3://$bucket/rand/" | cut -f2)
latency 0
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_ENDPOINT
echo "| Random lookups, 1 KiB records, CRCs checked | added RTT | in flight | records/s | target 0.7 × in-flight / RTT | met |"
echo "|---|---|---|---|---|---|"
python3 - "$results" <<'PY'
import sys
for line in open(sys.argv[1]):
    ms, _, inflight, rate, seconds, count = line.split("\t")
    ms, inflight, rate = int(ms), int(inflight), float(rate)
    if ms == 0:
        print("| | 0 ms | %d | %.0f | (no target at 0 ms) | - |" % (inflight, rate))
    else:
        target = 0.7 * inflight / (ms / 1000)
        print("| | %d ms | %d | %.0f | %.0f | %s |" % (ms, inflight, rate, target, "yes" if rate >= target else "no"))
PY
echo
echo "Time to the first record of a random batch at 20 ms (open: listing + sidecar headers, then one GET): ours ${first_ours} s."
echo
TFRECORD_REMOTE_RESULTS=$results "$TFVENV/bin/python" "$here/remote_plot.py" "$results" "$root/Benchmarks/remote_lookups.png" 2>/dev/null \
  && echo "Plot: Benchmarks/remote_lookups.png" || echo "(no plot: matplotlib missing in \$TFVENV)"

# 4. count of 1,000 shards with sidecars at 20 ms per request.
"$bin" generate "s3://$bucket/many/" --size 100 --records 10000 --records-per-shard 10 > /dev/null
export AWS_ENDPOINT_URL_S3=$TFRECORD_TEST_S3_PROXY_ENDPOINT
latency 20
start=$(date +%s.%N)
"$bin" count "s3://$bucket/many/" > "$data/remote/count.out" 2>&1 && cli_count=ok || cli_count=failed
cli_seconds=$(echo "$(date +%s.%N) - $start" | bc)
lib=$("$rbench" count "s3://$bucket/many/")
latency 0
echo "| count, 1,000 shards with sidecars, 20 ms per request | seconds | records | target | met |"
echo "|---|---|---|---|---|"
echo "$lib" | awk -F'\t' '{printf "| RemoteDataset.recordCounts (listing + 1,000 sidecar headers, 16 at once) | %.2f | %d | < 2 s | %s |\n", $4, $3, ($4 < 2 ? "yes" : "no")}'
python3 -c "t=$cli_seconds; print('| tfrecord count s3://… (%s) | %.2f | %s | < 2 s | %s |' % ('$cli_count', t, open('$data/remote/count.out').read().strip().splitlines()[-1][:40] if '$cli_count' == 'ok' else '', 'yes' if t < 2 and '$cli_count' == 'ok' else 'no'))"
