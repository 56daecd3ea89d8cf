#!/usr/bin/env bash
# Interop with real TensorFlow, run by scripts/test.sh (so by CI): makes the TensorFlow venv if
# it is missing (~/tfvenv, outside the repo, cached in the home folder between runs; about 5
# minutes to install the first time), then runs every scripts/tf_interop_*.sh check, found by
# name: our compressed files in every mode (tf_interop_compression), our Example/SequenceExample
# bytes (tf_interop_examples), our uncompressed framing byte for byte (tf_interop_framing), the
# import tool's shards (tf_interop_import), the import tool's Examples against protobuf's
# json_format (tf_interop_json_format), the Codable encoder (tf_interop_codable) and the batch
# parser (tf_interop_parse_batch). Each prints a one-line summary and exits non-zero on any
# mismatch; this script fails if any of them fails, or says it skipped or checked nothing.
#
# Beam (scripts/beam_interop.sh) is NOT run here: installing apache-beam[tfrecord] into its own
# venv (~/beamvenv; it cannot share TensorFlow's) took 626 s on this machine kind (2 busy cores,
# 2026-12-04), on top of TensorFlow's ~5-minute install, and the TensorFlow checks already took
# ~12 + ~10 minutes under the same load; with the Swift tests, the C checks under ASan/qemu/fuzzers,
# TSan and the benchmark build, a clean CI machine has no room for it in the 90-minute budget.
# Run it by hand (it makes ~/beamvenv itself) before changing shard naming or blocked GZIP.
#
# Env: TFVENV (default ~/tfvenv).
set -uo pipefail
cd "$(dirname "$0")/.."
export TFVENV=${TFVENV:-$HOME/tfvenv}
export TF_PYTHON=$TFVENV/bin/python
start=$(date +%s)

have_tf() { "$TF_PYTHON" -c "import tensorflow" >/dev/null 2>&1; }

# One installer at a time (another engineer or CI job may be installing right now): take a lock,
# and also wait for an installer that does not use it (a pip process inside the venv), up to 30 min.
exec 9>"$HOME/.tfvenv.lock"
flock -w 1800 9 || { echo "test-interop: timed out waiting for the TensorFlow venv lock" >&2; exit 1; }
for _ in $(seq 180); do
  pgrep -f "$TFVENV/bin/pip" >/dev/null 2>&1 || break
  echo "test-interop: waiting for a pip install into $TFVENV to finish" >&2
  sleep 10
done
if ! have_tf; then
  echo "test-interop: installing tensorflow-cpu into $TFVENV" >&2
  [ -x "$TFVENV/bin/python" ] || python3 -m venv "$TFVENV" || exit 1
  "$TFVENV/bin/pip" install -q tensorflow-cpu || exit 1
fi
have_tf || { echo "test-interop: $TFVENV has no usable tensorflow" >&2; exit 1; }
flock -u 9

swift build --product tfrecord >/dev/null 2>&1 || swift build --product tfrecord || exit 1
swift build --product InteropFixtures >/dev/null 2>&1 || swift build --product InteropFixtures || exit 1

# Every scripts/tf_interop_*.sh, found by name (a new check is run without editing this list).
# A check fails when it exits non-zero, and also when its output says it skipped or checked
# nothing (a check that ran on nothing is not a pass).
checks=()
for script in scripts/tf_interop_*.sh; do checks+=("$(basename "$script" .sh)"); done
[ ${#checks[@]} -ge 7 ] || { echo "test-interop: expected at least 7 tf_interop_*.sh checks, found ${#checks[@]}: ${checks[*]}" >&2; exit 1; }
nothing='^(SKIP|skip)|[Ss]kipped|(^| )0 (records|files|examples|shards|checks)( |$)|[Nn]othing (to )?check'
failed=()
summary=()
logs=$(mktemp -d /tmp/tf-interop-logs.XXXXXX)
trap 'rm -rf "$logs"' EXIT
for check in "${checks[@]}"; do
  t0=$(date +%s)
  echo "== $check"
  if "scripts/$check.sh" 2>&1 | tee "$logs/$check.log"; then result=ok; else result=FAILED; fi
  # "0 files differ" is a result, not an empty check: left out before matching.
  if [ "$result" = ok ] && sed 's/ 0 files differ//g' "$logs/$check.log" | grep -qE "$nothing"; then
    result="FAILED (skipped or checked nothing: $(sed 's/ 0 files differ//g' "$logs/$check.log" | grep -E "$nothing" | head -1))"
  fi
  [ "$result" = ok ] || failed+=("$check")
  summary+=("$check: $result ($(( $(date +%s) - t0 )) s)")
done
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-interop: FAILED: ${failed[*]} ($(( $(date +%s) - start )) s)"
  exit 1
fi
echo "test-interop: TensorFlow $("$TF_PYTHON" -c 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"; import tensorflow as tf; print(tf.__version__)' 2>/dev/null) read and wrote everything as we do: ${#checks[@]} checks passed ($(( $(date +%s) - start )) s)"
