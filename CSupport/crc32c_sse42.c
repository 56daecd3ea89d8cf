// CRC32C with the SSE4.2 `crc32` instruction. Large buffers run three independent `crc32q`
// streams (the instruction has a latency of ~3 cycles but issues every cycle) and join them by
// shifting the first two with one PCLMULQDQ each (constants: crc32c_constants.h). Compiled per
// function with __attribute__((target)), so nothing here runs unless the dispatcher saw SSE4.2
// and PCLMULQDQ.
#include "crc32c_internal.h"
#if defined(__x86_64__)
#include "crc32c_constants.h"
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int csupport_cpu_has_sse42(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0 && (c & bit_PCLMUL) != 0;
}

#define TARGET __attribute__((target("sse4.2,pclmul")))

// Stream lengths in bytes: three LONG streams per step while they fit, then SHORT ones.
#define LONG 8192
#define SHORT 256

TARGET static inline uint64_t load64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

// c * x^(8n) mod P for a constant k = x^(8n-33) mod P: one carry-less multiply, one crc32q.
TARGET static inline uint32_t shift(uint32_t c, uint32_t k) {
    __m128i prod = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)c), _mm_cvtsi32_si128((int)k), 0x00);
    return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(prod));
}

// One step of three interleaved streams of `n` bytes each starting at p; returns the joined state.
TARGET static inline uint32_t three_streams(uint32_t c, const uint8_t *p, size_t n, uint32_t k1,
                                            uint32_t k2) {
    uint64_t c0 = c, c1 = 0, c2 = 0;
    const uint8_t *end = p + n;
    do {
        c0 = _mm_crc32_u64(c0, load64(p));
        c1 = _mm_crc32_u64(c1, load64(p + n));
        c2 = _mm_crc32_u64(c2, load64(p + 2 * n));
        c0 = _mm_crc32_u64(c0, load64(p + 8));
        c1 = _mm_crc32_u64(c1, load64(p + n + 8));
        c2 = _mm_crc32_u64(c2, load64(p + 2 * n + 8));
        p += 16;
    } while (p < end);
    return shift((uint32_t)c0, k2) ^ shift((uint32_t)c1, k1) ^ (uint32_t)c2;
}

// The tail shared with the AVX-512 kernel: 8 bytes at a time, then single bytes. `c` is the
// inverted (internal) state.
TARGET uint32_t csupport_crc32c_sse42_simple(uint32_t c, const uint8_t *p, size_t len) {
    uint64_t s = c;
    while (len >= 8) {
        s = _mm_crc32_u64(s, load64(p));
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        s = _mm_crc32_u8((uint32_t)s, *p++);
        len--;
    }
    return (uint32_t)s;
}

TARGET uint32_t csupport_crc32c_sse42(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    if (len >= 3 * SHORT) {
        size_t head = (size_t)(-(uintptr_t)p & 7);
        c = csupport_crc32c_sse42_simple(c, p, head);
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
    return ~csupport_crc32c_sse42_simple(c, p, len);
}
#endif
