#!/usr/bin/env bash
# Builds and runs CSupport's C tests (every CRC32C implementation the CPU can run, the record
# scanner) and checks with objdump that CPU-specific instructions stay inside their
# target-attributed functions.
#
#   CSupport/tests/run.sh [native|asan|aarch64|all]   (default: native)
#
#   native   cc (gcc or clang; CC=... to choose) -O2
#   asan     the same with -fsanitize=address,undefined (errors are fatal)
#   aarch64  cross-compiled with aarch64-linux-gnu-gcc, run under qemu-aarch64 twice: with
#            `-cpu max` (CRC + PMULL kernels) and with HWCAP_CRC32/HWCAP_PMULL hidden (portable path)
#
# The last line is "N passed, M failed"; the exit status is non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
csupport="$(dirname "$here")"
mode="${1:-native}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
CFLAGS_COMMON=(-std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -DCSUPPORT_CORE_ONLY -I"$csupport/include" -I"$csupport")
TESTS=("$here/main.c" "$here/test_crc32c.c" "$here/test_record_scan.c")

# Runs a test binary, adds its "N passed, M failed" to the totals.
run_tests() {
    local label="$1"
    shift
    echo "== $label"
    local out status=0
    out="$("$@" 2>&1)" || status=$?
    echo "$out" | sed 's/^/   /'
    local line
    line="$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1 || true)"
    if [[ -z "$line" ]]; then
        echo "   (no result line; exit status $status)"
        failed=$((failed + 1))
        return
    fi
    local p f
    p="${line%% passed*}"
    f="${line#*, }"
    f="${f%% failed}"
    passed=$((passed + p))
    failed=$((failed + f))
    if [[ $status -ne 0 && $f -eq 0 ]]; then failed=$((failed + 1)); fi
}

# objdump check: instructions matching $2 may only appear in functions matching $3.
check_placement() {
    local objdump="$1" insn="$2" allowed="$3"
    shift 3
    local bad
    bad="$("$objdump" -d --no-show-raw-insn "$@" | awk -v insn="$insn" -v allowed="$allowed" '
        /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
        { line = $0; gsub(/<[^>]*>/, "", line) }  # symbol names are not instructions
        line ~ insn && fn !~ allowed { print fn ": " $0 }')"
    echo "== objdump: /$insn/ only inside /$allowed/"
    if [[ -n "$bad" ]]; then
        echo "$bad" | head -20 | sed 's/^/   /'
        failed=$((failed + 1))
    else
        echo "   ok"
        passed=$((passed + 1))
    fi
}

# The CSupport sources under test: the CRC32C kernels and the scanners (not the zlib / lz4 shims,
# which would need those libraries for every target, arm64 included). Linked as a static archive
# so a test program pulls in only what it uses.
SOURCES=("$csupport"/crc32c_*.c "$csupport"/record_scan.c)
for extra in record_scan_fast.c varint_scan.c; do
    [[ -f "$csupport/$extra" ]] && SOURCES+=("$csupport/$extra")
done

build() {  # build CC OUT EXTRA_FLAGS...
    local cc="$1" out="$2"
    shift 2
    local objs=()
    for src in "${SOURCES[@]}"; do
        local obj="$work/$(basename "$out")-$(basename "${src%.c}").o"
        "$cc" "${CFLAGS_COMMON[@]}" "$@" -c "$src" -o "$obj"
        objs+=("$obj")
    done
    rm -f "$out.a"
    ar rcs "$out.a" "${objs[@]}"
    "$cc" "${CFLAGS_COMMON[@]}" "$@" "${TESTS[@]}" "$out.a" -o "$out"
    printf '%s\n' "${objs[@]}" > "$out.objs"
}

X86_INSN='crc32[bwlq]?[[:space:]]|pclmul|%[yz]mm'
X86_ALLOWED='^csupport_crc32c_(sse42|sse42_simple|avx512)$|^(shift|three_streams|fold512|fold128|pair512|scan_sse42|frame_sse42|short_crc_sse42|check_indexed_sse42|length_crc_sse42)'
ARM_INSN='crc32c[bhwx][[:space:]]|pmull'
ARM_ALLOWED='^csupport_crc32c_arm64(_pmull)?$|^(simple|shift|three_streams)'

run_native() {
    local cc="${CC:-cc}"
    build "$cc" "$work/native" -O2
    run_tests "native ($cc -O2)" "$work/native"
    if [[ "$(uname -m)" == x86_64 ]]; then
        mapfile -t objs < "$work/native.objs"
        check_placement objdump "$X86_INSN" "$X86_ALLOWED" "${objs[@]}"
    fi
}

run_asan() {
    local cc="${CC:-cc}"
    build "$cc" "$work/asan" -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
    run_tests "asan+ubsan ($cc)" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$work/asan"
}

run_aarch64() {
    local cc="${AARCH64_CC:-aarch64-linux-gnu-gcc}"
    command -v "$cc" > /dev/null || { echo "$cc not found (apt-get install gcc-aarch64-linux-gnu)"; failed=$((failed + 1)); return; }
    command -v qemu-aarch64 > /dev/null || { echo "qemu-aarch64 not found (apt-get install qemu-user)"; failed=$((failed + 1)); return; }
    local sysroot="${AARCH64_SYSROOT:-/usr/aarch64-linux-gnu}"
    build "$cc" "$work/arm" -O2
    "$cc" "${CFLAGS_COMMON[@]}" -O2 "${TESTS[@]}" "$here/no_hwcap.c" "$work/arm.a" \
        -Wl,--wrap=getauxval -o "$work/arm-nocrc"
    run_tests "aarch64 (qemu -cpu max: CRC + PMULL)" env CSUPPORT_EXPECT_ACTIVE=arm64-crc-pmull CSUPPORT_EXPECT_RAN=3 \
        qemu-aarch64 -L "$sysroot" -cpu max "$work/arm"
    run_tests "aarch64 (qemu -cpu cortex-a53)" env CSUPPORT_EXPECT_ACTIVE=arm64-crc-pmull CSUPPORT_EXPECT_RAN=3 \
        qemu-aarch64 -L "$sysroot" -cpu cortex-a53 "$work/arm"
    run_tests "aarch64 (qemu -cpu max, HWCAP_CRC32/PMULL hidden: portable)" env CSUPPORT_EXPECT_ACTIVE=portable \
        CSUPPORT_EXPECT_RAN=1 qemu-aarch64 -L "$sysroot" -cpu max "$work/arm-nocrc"
    local objdump=aarch64-linux-gnu-objdump
    command -v "$objdump" > /dev/null || objdump=objdump
    mapfile -t objs < "$work/arm.objs"
    check_placement "$objdump" "$ARM_INSN" "$ARM_ALLOWED" "${objs[@]}"
}

case "$mode" in
    native) run_native ;;
    asan) run_asan ;;
    aarch64) run_aarch64 ;;
    all) run_native; run_asan; run_aarch64 ;;
    *) echo "usage: $0 [native|asan|aarch64|all]" >&2; exit 2 ;;
esac

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
