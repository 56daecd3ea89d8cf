#!/usr/bin/env bash
# Runs the Swift-level libFuzzer harnesses (Fuzz/TFRecordFuzz: the sidecar index loader with its
# inflate checkpoints, and random access into blocked GZIP) for SECONDS each (default 60),
# seeded from the conformance corpus's GZIP files and sidecars made from them at run time.
#
#   scripts/test-fuzz-swift.sh [SECONDS]
#
# Builds with `-sanitize=fuzzer,address` in its own scratch folder (.build-fuzz), so the normal
# build is untouched. Exits non-zero when a harness traps, leaks past the limits, or an invariant
# (random access never disagrees with the sequential read) fails; the crash input is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch="${FUZZ_BUILD:-.build-fuzz}"
swift build --scratch-path "$scratch" --product TFRecordFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xcc -fsanitize=fuzzer-no-link,address > "$scratch.log" 2>&1 || { tail -30 "$scratch.log"; exit 1; }
bin="$(swift build --scratch-path "$scratch" --product TFRecordFuzz --show-bin-path \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address)/TFRecordFuzz"
replay="$bin"

conformance="${CONFORMANCE:-}"
if [[ -z "$conformance" ]]; then
    for c in ../shared/conformance /work/shared/conformance; do [[ -d "$c" ]] && { conformance="$c"; break; }; done
fi
out="$(mktemp -d)"
keep=0
trap '[[ $keep -eq 1 ]] || rm -rf "$out"' EXIT
seeds="$out/seeds"
mkdir -p "$seeds" "$out/corpus"
i=0
if [[ -n "$conformance" ]]; then
    # Odd first byte: a GZIP file for random access; even: a sidecar (built below).
    while IFS= read -r -d '' f; do
        { printf '\x01'; head -c 65536 "$f"; } > "$seeds/gzip-$i"
        i=$((i + 1))
    done < <(find "$conformance" -type f \( -name '*.gz' -o -name '*gzip*' -o -name '*zlib*' \) -size -256k -print0 | sort -z)
fi
# A real sidecar with checkpoints, of a blocked GZIP shard, as a seed for the loader.
tmpshard="$out/seed.tfrecord.gz"
.build/debug/tfrecord --help > /dev/null 2>&1 && cli=.build/debug/tfrecord || cli=""
if [[ -n "$cli" ]]; then
    "$cli" generate --records 40 --size 50 "$out/seed.tfrecord" > /dev/null 2>&1 || true
    "$cli" convert --compression gzip --blocked 300 --quiet "$out/seed.tfrecord" "$tmpshard" > /dev/null 2>&1 || true
    if [[ -f "$tmpshard" ]]; then
        "$cli" index "$tmpshard" > /dev/null 2>&1 || true
        [[ -f "$tmpshard.tfindex" ]] && { printf '\x00'; cat "$tmpshard.tfindex"; } > "$seeds/sidecar"
        { printf '\x01'; cat "$tmpshard"; } > "$seeds/blocked"
    fi
fi
echo "seed corpus: $(ls "$seeds" | wc -l) files"
if "$bin" -max_total_time="$seconds" -max_len=70000 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/crash-" "$out/corpus" "$seeds" > "$out/fuzz.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' "$out/fuzz.log" || true
    echo "TFRecordFuzz: clean"
else
    keep=1
    tail -40 "$out/fuzz.log"
    echo "TFRecordFuzz: FAILED (log and crash input kept in $out; replay: $replay -runs=1 FILE)"
    exit 1
fi
