#!/usr/bin/env bash
# Builds each libFuzzer harness with the Swift toolchain's clang
# (-fsanitize=fuzzer,address,undefined) and runs it for SECONDS, starting from a seed corpus cut
# from the TensorFlow-made conformance files (made at run time in a temporary directory; never
# committed).
#
#   CSupport/tests/fuzz/run.sh SECONDS [HARNESS...]     (default: every harness below)
#
# Environment: CLANG (default /opt/swift/usr/bin/clang), CONFORMANCE (default
# ../shared/conformance beside the repository, else /work/shared/conformance), FUZZ_OUT (where
# crash artifacts go; default a temporary directory that is kept only when something fails).
# Exits non-zero when a harness finds a crash, leak, sanitizer report or invariant failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
csupport="$(cd "$here/../.." && pwd)"
repo="$(dirname "$csupport")"
seconds="${1:?usage: $0 SECONDS [HARNESS...]}"
shift

# Harness name -> the CSupport sources it links. To add a harness, write fuzz_NAME.c here and add
# a line (the varint/protobuf scanner's harness goes in the marked slot).
sources_for() {
    case "$1" in
        record_scan) echo "$csupport/record_scan.c $csupport/record_scan_fast.c $csupport/crc32c_*.c" ;;
        crc32c) echo "$csupport/crc32c_*.c" ;;
        varint_scan) echo "$csupport/varint_scan.c" ;;
        *) return 1 ;;
    esac
}
ALL_HARNESSES=(record_scan crc32c varint_scan)
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=("${ALL_HARNESSES[@]}")

clang="${CLANG:-/opt/swift/usr/bin/clang}"
[[ -x "$clang" ]] || { echo "clang not found at $clang (set CLANG=...)" >&2; exit 2; }
conformance="${CONFORMANCE:-}"
if [[ -z "$conformance" ]]; then
    for c in "$repo/../shared/conformance" /work/shared/conformance; do
        [[ -d "$c" ]] && { conformance="$c"; break; }
    done
fi
out="${FUZZ_OUT:-$(mktemp -d)}"
mkdir -p "$out"
keep=0
trap '[[ $keep -eq 1 || -n "${FUZZ_OUT:-}" ]] || rm -rf "$out"' EXIT

MAX_LEN=16384
# Seed corpus: every conformance file, cut to MAX_LEN bytes, plus a few hand-made edge cases.
seeds="$out/seeds"
mkdir -p "$seeds"
if [[ -n "$conformance" && -d "$conformance" ]]; then
    i=0
    while IFS= read -r -d '' f; do
        head -c "$MAX_LEN" "$f" > "$seeds/conformance-$i"
        i=$((i + 1))
    done < <(find "$conformance" -type f -name '*.tfrecord' -print0 | sort -z)
    echo "seed corpus: $i files from $conformance"
else
    echo "seed corpus: conformance directory not found; starting from hand-made seeds only"
fi
printf '' > "$seeds/empty"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x29\x03\x98\x07\x29\x03\x98\x07' > "$seeds/empty-record"
printf '\x00\x00\x00\x00\x00\x01\x00\x00\xaa\x3d\x6b\xe4' > "$seeds/forged-2pow40"

# Linking with lld avoids gold's "Cannot export local symbol" noise; fall back to the default.
ldflag=()
[[ -x "$(dirname "$clang")/ld.lld" ]] && ldflag=(-fuse-ld=lld)

status=0
for h in "${harnesses[@]}"; do
    srcs="$(sources_for "$h")" || { echo "unknown harness: $h" >&2; exit 2; }
    bin="$out/fuzz_$h"
    echo "== building fuzz_$h"
    # shellcheck disable=SC2086
    "$clang" -g -O1 -std=c11 -D_GNU_SOURCE -DCSUPPORT_CORE_ONLY -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        "${ldflag[@]}" -I"$csupport/include" -I"$csupport" "$here/fuzz_$h.c" $srcs -o "$bin"
    corpus="$out/corpus-$h"
    mkdir -p "$corpus"
    echo "== running fuzz_$h for ${seconds}s"
    if "$bin" -max_total_time="$seconds" -max_len="$MAX_LEN" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/crash-$h-" "$corpus" "$seeds" > "$out/$h.log" 2>&1; then
        grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' "$out/$h.log" || true
        echo "fuzz_$h: clean"
    else
        status=1
        keep=1
        tail -40 "$out/$h.log"
        echo "fuzz_$h: FAILED (log and crash input kept in $out)"
    fi
done
exit $status
