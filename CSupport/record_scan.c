// Zero-copy walking of TFRecord framing over a mapped region. Lives in C because it is the hot
// loop of counting, indexing and sequential reading; it never allocates and never reads outside
// [base, base+size).
#include "CSupport.h"
#include <string.h>

static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint32_t load_le32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline void store_le32(uint8_t *p, uint32_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, 4);
}

int csupport_read_header(const void *header, uint64_t *length) {
    const uint8_t *h = (const uint8_t *)header;
    uint32_t expected = csupport_crc32c_mask(csupport_crc32c_extend(0, h, 8));
    if (load_le32(h + 8) != expected) return 0;
    *length = load_le64(h);
    return 1;
}

void csupport_write_header(void *out, uint64_t length) {
    uint8_t *h = (uint8_t *)out;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    length = __builtin_bswap64(length);
#endif
    memcpy(h, &length, 8);
    store_le32(h + 8, csupport_crc32c_mask(csupport_crc32c_extend(0, h, 8)));
}

size_t csupport_frame_record(void *out, const void *payload, size_t length) {
    uint8_t *o = (uint8_t *)out;
    csupport_write_header(o, (uint64_t)length);
    if (length) memcpy(o + CSUPPORT_TFRECORD_HEADER_SIZE, payload, length);
    store_le32(o + CSUPPORT_TFRECORD_HEADER_SIZE + length,
               csupport_crc32c_mask(csupport_crc32c_extend(0, payload, length)));
    return length + CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE;
}

csupport_scan_result csupport_scan_records(const void *base, size_t size, size_t start,
                                           int verify_payload, uint64_t *offsets,
                                           size_t capacity) {
    const uint8_t *b = (const uint8_t *)base;
    csupport_scan_result r = {start, 0, CSUPPORT_SCAN_OK, 0};
    uint64_t pos = start;
    while (pos < size && r.records < capacity) {
        uint64_t remaining = size - pos;
        if (remaining < CSUPPORT_TFRECORD_HEADER_SIZE) {
            r.status = CSUPPORT_SCAN_TRUNCATED_HEADER;
            break;
        }
        uint64_t length;
        if (!csupport_read_header(b + pos, &length)) {
            r.status = CSUPPORT_SCAN_BAD_LENGTH_CRC;
            break;
        }
        uint64_t body = remaining - CSUPPORT_TFRECORD_HEADER_SIZE;
        // Compare without overflow: length + footer must fit in what remains.
        if (body < CSUPPORT_TFRECORD_FOOTER_SIZE || length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) {
            r.status = CSUPPORT_SCAN_TRUNCATED_RECORD;
            r.length = length;
            break;
        }
        const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
        if (verify_payload) {
            uint32_t expected = csupport_crc32c_mask(csupport_crc32c_extend(0, payload, (size_t)length));
            if (load_le32(payload + length) != expected) {
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

csupport_resync_result csupport_resync(const void *base, size_t size, size_t start) {
    const uint8_t *b = (const uint8_t *)base;
    csupport_resync_result r = {size, 0};
    for (uint64_t pos = start; pos < size; pos++) {
        if (size - pos < CSUPPORT_TFRECORD_HEADER_SIZE) {
            r.position = pos;  // a header may start here once more bytes arrive
            return r;
        }
        uint64_t length;
        if (!csupport_read_header(b + pos, &length)) continue;
        uint64_t body = size - pos - CSUPPORT_TFRECORD_HEADER_SIZE;
        if (body < CSUPPORT_TFRECORD_FOOTER_SIZE || length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) {
            r.position = pos;  // plausible header, record incomplete
            return r;
        }
        const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
        if (load_le32(payload + length) == csupport_crc32c_mask(csupport_crc32c_extend(0, payload, (size_t)length))) {
            r.position = pos;
            r.complete = 1;
            return r;
        }
    }
    return r;
}

uint64_t csupport_find_next_record(const void *base, size_t size, size_t start) {
    const uint8_t *b = (const uint8_t *)base;
    for (uint64_t pos = start; pos + CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE <= size; pos++) {
        uint64_t length;
        if (!csupport_read_header(b + pos, &length)) continue;
        uint64_t body = size - pos - CSUPPORT_TFRECORD_HEADER_SIZE;
        if (length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) continue;
        const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
        if (load_le32(payload + length) == csupport_crc32c_mask(csupport_crc32c_extend(0, payload, (size_t)length)))
            return pos;
    }
    return size;
}
