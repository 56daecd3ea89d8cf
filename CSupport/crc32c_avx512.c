// CRC32C by folding with AVX-512 VPCLMULQDQ: 16 lanes of 128 bits (four zmm registers, 256
// bytes) are each multiplied forward by x^2048 and xored with the next 256 bytes, as in Intel's
// "Fast CRC Computation Using PCLMULQDQ" paper, widened to 512-bit registers. The folded 128-bit
// remainder is turned into a CRC state by two `crc32q` (crc32q(crc32q(0, lo), hi) == X x^32 mod P),
// so no Barrett reduction is needed. Small buffers and tails go to the SSE4.2 kernel.
// Constants are derived in tests/gen_crc32c_constants.py.
#include "crc32c_internal.h"
#if defined(__x86_64__)
#include "crc32c_constants.h"
#include <cpuid.h>
#include <immintrin.h>

int csupport_cpu_has_avx512_vpclmul(void) {
    unsigned a, b, c, d;
    if (!csupport_cpu_has_sse42()) return 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned need_b = bit_AVX512F | bit_AVX512BW | bit_AVX512VL;
    if ((b & need_b) != need_b || !(c & bit_VPCLMULQDQ)) return 0;
    // The OS must save XMM, YMM, opmask and both halves of the ZMM state (XCR0 bits 1,2,5,6,7).
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 0xE6) == 0xE6;
}

#define TARGET __attribute__((target("avx512f,avx512vl,avx512bw,vpclmulqdq,pclmul,sse4.2")))

// Below this many bytes one `crc32q` stream is as fast (set-up and reduction cost ~ 100 bytes);
// it is also below the SSE4.2 kernel's three-stream threshold (768), so call its loop directly.
#define MIN_LEN 512

// x folded forward by the constant pair k, xored with d (0x96: three-way xor).
TARGET static inline __m512i fold512(__m512i x, __m512i k, __m512i d) {
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00),
                                     _mm512_clmulepi64_epi128(x, k, 0x11), d, 0x96);
}

TARGET static inline __m128i fold128(__m128i x, __m128i k, __m128i d) {
    return _mm_ternarylogic_epi64(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11),
                                  d, 0x96);
}

TARGET static inline __m512i pair512(uint32_t lo, uint32_t hi) {
    return _mm512_broadcast_i32x4(_mm_set_epi64x((long long)hi, (long long)lo));
}

TARGET uint32_t csupport_crc32c_avx512(uint32_t crc, const void *data, size_t len) {
    if (len < MIN_LEN) return ~csupport_crc32c_sse42_simple(~crc, (const uint8_t *)data, len);
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    // Align to a cache line so no 64-byte load splits one.
    size_t head = (size_t)(-(uintptr_t)p & 63);
    c = csupport_crc32c_sse42_simple(c, p, head);
    p += head;
    len -= head;

    // The state goes into the first 32 bits (the highest-degree coefficients) of the first block.
    __m512i x0 = _mm512_xor_si512(_mm512_load_si512(p), _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)c)));
    __m512i x1 = _mm512_load_si512(p + 64);
    __m512i x2 = _mm512_load_si512(p + 128);
    __m512i x3 = _mm512_load_si512(p + 192);
    p += 256;
    len -= 256;
    const __m512i k2048 = pair512(CRC32C_FOLD_2048_LO, CRC32C_FOLD_2048_HI);
    while (len >= 256) {
        x0 = fold512(x0, k2048, _mm512_load_si512(p));
        x1 = fold512(x1, k2048, _mm512_load_si512(p + 64));
        x2 = fold512(x2, k2048, _mm512_load_si512(p + 128));
        x3 = fold512(x3, k2048, _mm512_load_si512(p + 192));
        p += 256;
        len -= 256;
    }
    const __m512i k512 = pair512(CRC32C_FOLD_512_LO, CRC32C_FOLD_512_HI);
    x0 = fold512(x0, k512, x1);
    x0 = fold512(x0, k512, x2);
    x0 = fold512(x0, k512, x3);
    while (len >= 64) {
        x0 = fold512(x0, k512, _mm512_load_si512(p));
        p += 64;
        len -= 64;
    }
    // Four lanes to one: lane i moves forward by (3 - i) * 128 bits; lane 3 stays.
    const __m512i kl = _mm512_set_epi64(0, 0, CRC32C_FOLD_128_HI, CRC32C_FOLD_128_LO, CRC32C_FOLD_256_HI,
                                        CRC32C_FOLD_256_LO, CRC32C_FOLD_384_HI, CRC32C_FOLD_384_LO);
    __m512i t = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x0, kl, 0x00),
                                          _mm512_clmulepi64_epi128(x0, kl, 0x11),
                                          _mm512_maskz_mov_epi64(0xC0, x0), 0x96);
    __m256i h = _mm256_xor_si256(_mm512_castsi512_si256(t), _mm512_extracti64x4_epi64(t, 1));
    __m128i r = _mm_xor_si128(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
    const __m128i k128 = _mm_set_epi64x(CRC32C_FOLD_128_HI, CRC32C_FOLD_128_LO);
    while (len >= 16) {
        r = fold128(r, k128, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        len -= 16;
    }
    uint64_t s = _mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(r));
    s = _mm_crc32_u64(s, (uint64_t)_mm_extract_epi64(r, 1));
    return ~csupport_crc32c_sse42_simple((uint32_t)s, p, len);
}
#endif
