// CRC32C with the SSE4.2 `crc32` instruction. Compiled per function with
// __attribute__((target)), so nothing here runs unless the dispatcher saw SSE4.2.
#include "crc32c_internal.h"
#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#include <string.h>

int csupport_cpu_has_sse42(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
uint32_t csupport_crc32c_sse42(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint64_t c = ~crc;
    while (len > 0 && ((uintptr_t)p & 7) != 0) {
        c = _mm_crc32_u8((uint32_t)c, *p++);
        len--;
    }
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        c = _mm_crc32_u8((uint32_t)c, *p++);
        len--;
    }
    return ~(uint32_t)c;
}

uint32_t csupport_crc32c_avx512(uint32_t crc, const void *data, size_t len) {
    return csupport_crc32c_sse42(crc, data, len);
}
int csupport_cpu_has_avx512_vpclmul(void) { return 0; }
#endif
