// SSE4.2 versions of the hot record paths: the scanner of csupport_scan_records, the framer of
// csupport_frame_record and the check of one indexed record, each with the length CRC computed
// by one crc32 instruction instead of a call through the CRC dispatcher, and short payload CRCs
// inline. A header-only scan (index building), a random lookup and a 100-byte write spend much
// of their time on those CRCs, so this makes them several times faster. Compiled per function
// with __attribute__((target)), so nothing here runs unless the CPU has SSE4.2 and PCLMULQDQ;
// elsewhere the portable functions of record_scan.c run.
#include "CSupport.h"
#include "crc32c_internal.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "crc32c_constants.h"

// The masked CRC32C of a header's 8 length bytes: one crc32 instruction.
__attribute__((target("sse4.2")))
static inline uint32_t length_crc_sse42(uint64_t length) {
    return csupport_crc32c_mask(~(uint32_t)_mm_crc32_u64(0xffffffffu, length));
}

__attribute__((target("sse4.2")))
static csupport_scan_result scan_sse42(const uint8_t *b, size_t size, size_t start, int verify_payload,
                                       uint64_t *offsets, size_t capacity) {
    csupport_scan_result r = {start, 0, CSUPPORT_SCAN_OK, 0};
    uint64_t pos = start;
    while (pos < size && r.records < capacity) {
        uint64_t remaining = size - pos;
        if (remaining < CSUPPORT_TFRECORD_HEADER_SIZE) {
            r.status = CSUPPORT_SCAN_TRUNCATED_HEADER;
            break;
        }
        uint64_t length;
        uint32_t stored;
        memcpy(&length, b + pos, 8);      // x86-64 is little-endian, as the format
        memcpy(&stored, b + pos + 8, 4);
        if (stored != length_crc_sse42(length)) {
            r.status = CSUPPORT_SCAN_BAD_LENGTH_CRC;
            break;
        }
        uint64_t body = remaining - CSUPPORT_TFRECORD_HEADER_SIZE;
        if (body < CSUPPORT_TFRECORD_FOOTER_SIZE || length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) {
            r.status = CSUPPORT_SCAN_TRUNCATED_RECORD;
            r.length = length;
            break;
        }
        if (verify_payload) {
            const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
            uint32_t footer;
            memcpy(&footer, payload + length, 4);
            if (footer != csupport_crc32c_mask(csupport_crc32c_extend(0, payload, (size_t)length))) {
                r.status = CSUPPORT_SCAN_BAD_DATA_CRC;
                r.length = length;
                break;
            }
        }
        if (offsets) offsets[r.records] = pos;
        r.records++;
        pos += CSUPPORT_TFRECORD_HEADER_SIZE + length + CSUPPORT_TFRECORD_FOOTER_SIZE;
    }
    r.position = pos;
    return r;
}

static const uint32_t shift_words[33] = CRC32C_SHIFT_WORDS_TABLE;

// CRC32C of a short payload (the records a writer frames and a lookup checks millions of per
// second) with the crc32 instruction inline: no call through the dispatcher. From 32 bytes on,
// two interleaved streams of k bytes are joined with one carry-less multiply, halving the chain
// of dependent crc32s (a random lookup waits for that chain before the next can start).
__attribute__((target("sse4.2,pclmul")))
static uint32_t short_crc_sse42(const uint8_t *p, size_t n) {
    uint64_t c = 0xffffffffu;
    if (n >= 32) {
        size_t k = (n / 16) * 8;  // a multiple of 8, below 256 for n < 512
        uint64_t c1 = 0;
        for (size_t j = 0; j < k; j += 8) {
            uint64_t w0, w1;
            memcpy(&w0, p + j, 8);
            memcpy(&w1, p + k + j, 8);
            c = _mm_crc32_u64(c, w0);
            c1 = _mm_crc32_u64(c1, w1);
        }
        // c * x^(8k) mod P: one carry-less multiply by x^(8k-33) mod P, then one crc32q.
        __m128i product = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)(uint32_t)c),
                                               _mm_cvtsi32_si128((int)shift_words[k / 8]), 0x00);
        c = _mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(product)) ^ c1;
        p += 2 * k;
        n -= 2 * k;
    }
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
    }
    uint32_t s = (uint32_t)c;
    if (n >= 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        s = _mm_crc32_u32(s, w);
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w;
        memcpy(&w, p, 2);
        s = _mm_crc32_u16(s, w);
        p += 2;
        n -= 2;
    }
    if (n) s = _mm_crc32_u8(s, *p);
    return ~s;
}

// Below this many bytes the inline loop beats the dispatcher's interleaved kernels.
#define SHORT_PAYLOAD 256

// The payload length comes from the index, not from the header, so the loads of the payload's
// cache lines do not wait for the header's: a random lookup pays one memory latency, not two.
__attribute__((target("sse4.2,pclmul")))
static int check_indexed_sse42(const uint8_t *b, uint64_t offset, uint64_t next, int verify_payload) {
    uint64_t length = next - offset - CSUPPORT_TFRECORD_HEADER_SIZE - CSUPPORT_TFRECORD_FOOTER_SIZE;
    const uint8_t *h = b + offset;
    uint64_t stored_length;
    uint32_t stored_crc;
    memcpy(&stored_length, h, 8);
    memcpy(&stored_crc, h + 8, 4);
    int ok = stored_length == length &&
             stored_crc == length_crc_sse42(length);
    if (verify_payload) {
        const uint8_t *payload = h + CSUPPORT_TFRECORD_HEADER_SIZE;
        uint32_t crc = length < SHORT_PAYLOAD ? short_crc_sse42(payload, (size_t)length)
                                              : csupport_crc32c_extend(0, payload, (size_t)length);
        uint32_t footer;
        memcpy(&footer, payload + length, 4);
        ok &= footer == csupport_crc32c_mask(crc);
    }
    return ok;
}

__attribute__((target("sse4.2,pclmul")))
static size_t frame_sse42(uint8_t *o, const uint8_t *payload, size_t length) {
    uint64_t len = length;
    memcpy(o, &len, 8);
    uint32_t lcrc = length_crc_sse42(len);
    memcpy(o + 8, &lcrc, 4);
    if (length) memcpy(o + CSUPPORT_TFRECORD_HEADER_SIZE, payload, length);
    uint32_t crc = length < SHORT_PAYLOAD ? short_crc_sse42(payload, length)
                                          : csupport_crc32c_extend(0, payload, length);
    crc = csupport_crc32c_mask(crc);
    memcpy(o + CSUPPORT_TFRECORD_HEADER_SIZE + length, &crc, 4);
    return length + CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE;
}

static int cpu_has_sse42_cached(void) {
    static int has_sse42 = -1;  // -1 until the CPU has been asked (a benign, idempotent race)
    int has = __atomic_load_n(&has_sse42, __ATOMIC_RELAXED);
    if (has < 0) {
        has = csupport_cpu_has_sse42();
        __atomic_store_n(&has_sse42, has, __ATOMIC_RELAXED);
    }
    return has;
}
#endif

size_t csupport_frame_record_fast(void *out, const void *payload, size_t length) {
#if defined(__x86_64__)
    if (cpu_has_sse42_cached()) return frame_sse42((uint8_t *)out, (const uint8_t *)payload, length);
#endif
    return csupport_frame_record(out, payload, length);
}

int csupport_check_indexed_record(const void *base, uint64_t offset, uint64_t next, int verify_payload) {
#if defined(__x86_64__)
    if (cpu_has_sse42_cached()) return check_indexed_sse42((const uint8_t *)base, offset, next, verify_payload);
#endif
    csupport_scan_result r = csupport_scan_records(base, (size_t)next, (size_t)offset, verify_payload, NULL, 1);
    return r.records == 1 && r.position == next;
}

csupport_scan_result csupport_scan_records_fast(const void *base, size_t size, size_t start,
                                                int verify_payload, uint64_t *offsets,
                                                size_t capacity) {
#if defined(__x86_64__)
    if (cpu_has_sse42_cached()) return scan_sse42((const uint8_t *)base, size, start, verify_payload, offsets, capacity);
#endif
    return csupport_scan_records(base, size, start, verify_payload, offsets, capacity);
}
