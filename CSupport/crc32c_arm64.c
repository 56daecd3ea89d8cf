// CRC32C with the ARMv8 CRC extension, selected per function with target("+crc"); large buffers
// run three independent `crc32cx` streams joined with one PMULL (64x64 carry-less multiply) each,
// the same scheme and constants as the SSE4.2 kernel (crc32c_constants.h). Detection is
// getauxval(AT_HWCAP): HWCAP_CRC32 for the simple kernel, plus HWCAP_PMULL for the three-stream one.
// ("+crc" / "+crc+crypto" is the spelling both GCC and clang accept.)
#include "crc32c_internal.h"
#if defined(__aarch64__)
#include "crc32c_constants.h"
#include <arm_acle.h>
#include <arm_neon.h>
#include <string.h>
#include <sys/auxv.h>
#ifndef HWCAP_PMULL
#define HWCAP_PMULL (1 << 4)
#endif
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int csupport_cpu_has_arm_crc(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

int csupport_cpu_has_arm_crc_pmull(void) {
    unsigned long caps = getauxval(AT_HWCAP);
    return (caps & HWCAP_CRC32) != 0 && (caps & HWCAP_PMULL) != 0;
}

#define LONG 8192
#define SHORT 256

static inline uint64_t load64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

// Single stream over `len` bytes from the inverted (internal) state; returns the inverted state.
__attribute__((target("+crc"))) static inline uint32_t simple(uint32_t c, const uint8_t *p, size_t len) {
    while (len >= 8) {
        c = __crc32cd(c, load64(p));
        p += 8;
        len -= 8;
    }
    if (len >= 4) {
        uint32_t w;
        memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap32(w);
#endif
        c = __crc32cw(c, w);
        p += 4;
        len -= 4;
    }
    while (len > 0) {
        c = __crc32cb(c, *p++);
        len--;
    }
    return c;
}

__attribute__((target("+crc")))
uint32_t csupport_crc32c_arm64(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    size_t head = (size_t)(-(uintptr_t)p & 7);
    if (head > len) head = len;
    c = simple(c, p, head);
    return ~simple(c, p + head, len - head);
}

// c * x^(8n) mod P for k = x^(8n-33) mod P: one PMULL, one crc32cx.
__attribute__((target("+crc+crypto"))) static inline uint32_t shift(uint32_t c, uint32_t k) {
    poly128_t prod = vmull_p64((poly64_t)c, (poly64_t)k);
    return __crc32cd(0, vgetq_lane_u64(vreinterpretq_u64_p128(prod), 0));
}

__attribute__((target("+crc+crypto"))) static inline uint32_t three_streams(uint32_t c, const uint8_t *p,
                                                                          size_t n, uint32_t k1, uint32_t k2) {
    uint32_t c0 = c, c1 = 0, c2 = 0;
    const uint8_t *end = p + n;
    do {
        c0 = __crc32cd(c0, load64(p));
        c1 = __crc32cd(c1, load64(p + n));
        c2 = __crc32cd(c2, load64(p + 2 * n));
        c0 = __crc32cd(c0, load64(p + 8));
        c1 = __crc32cd(c1, load64(p + n + 8));
        c2 = __crc32cd(c2, load64(p + 2 * n + 8));
        p += 16;
    } while (p < end);
    return shift(c0, k2) ^ shift(c1, k1) ^ c2;
}

__attribute__((target("+crc+crypto")))
uint32_t csupport_crc32c_arm64_pmull(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    if (len >= 3 * SHORT) {
        size_t head = (size_t)(-(uintptr_t)p & 7);
        c = simple(c, p, head);
        p += head;
        len -= head;
        while (len >= 3 * LONG) {
            c = three_streams(c, p, LONG, CRC32C_SHIFT_8192, CRC32C_SHIFT_16384);
            p += 3 * LONG;
            len -= 3 * LONG;
        }
        while (len >= 3 * SHORT) {
            c = three_streams(c, p, SHORT, CRC32C_SHIFT_256, CRC32C_SHIFT_512);
            p += 3 * SHORT;
            len -= 3 * SHORT;
        }
    }
    return ~simple(c, p, len);
}
#endif
