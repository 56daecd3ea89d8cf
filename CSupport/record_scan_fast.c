// The record scanner of csupport_scan_records with each length CRC computed by one hardware CRC32C
// instruction instead of a call through the CRC dispatcher. A header-only scan (index building)
// and a random lookup spend most of their time on that 8-byte CRC, so this makes them several
// times faster. Compiled per function with __attribute__((target)), so nothing here runs unless
// the CPU has SSE4.2; elsewhere it is csupport_scan_records.
#include "CSupport.h"
#include "crc32c_internal.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

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
        uint32_t crc = ~(uint32_t)_mm_crc32_u64(0xffffffffu, length);
        if (stored != csupport_crc32c_mask(crc)) {
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
#endif

csupport_scan_result csupport_scan_records_fast(const void *base, size_t size, size_t start,
                                                int verify_payload, uint64_t *offsets,
                                                size_t capacity) {
#if defined(__x86_64__)
    static int has_sse42 = -1;  // -1 until the CPU has been asked (a benign, idempotent race)
    int has = __atomic_load_n(&has_sse42, __ATOMIC_RELAXED);
    if (has < 0) {
        has = csupport_cpu_has_sse42();
        __atomic_store_n(&has_sse42, has, __ATOMIC_RELAXED);
    }
    if (has) return scan_sse42((const uint8_t *)base, size, start, verify_payload, offsets, capacity);
#endif
    return csupport_scan_records(base, size, start, verify_payload, offsets, capacity);
}
