// Zero-copy walking of TFRecord framing over a mapped region. Lives in C because it is the hot
// loop of counting, indexing and sequential reading; it never reads outside
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

// MARK: - Resynchronisation in near-linear time
//
// After damage, every byte position whose 12 bytes form a header with a valid length CRC is a
// candidate, and a candidate is a record only if the CRC of its claimed payload checks. A file
// of such headers 12 bytes apart, each claiming a long payload, made the naive search CRC
// O(size) bytes per candidate: quadratic (a 5 MB file took ~9 s). Here a long payload's CRC is
// computed from CRCs of prefixes of the searched span instead (CRC(B) = C(b) ^ C(a)·x^(8|B|) mod
// P, the identity behind zlib's crc32_combine): the prefix CRCs are kept every 64 bytes, grown
// on demand, so each candidate costs O(64 + log length) and the whole search O(span). The
// answers are exactly those of the naive search. This part allocates (4 bytes per 64 searched);
// if it cannot, it falls back to direct CRCs.

#include <stdlib.h>

#define CRC32C_POLY_REFLECTED 0x82F63B78u

/// a·b modulo the CRC32C polynomial (bit-reflected), as zlib's multmodp.
static uint32_t multmodp(uint32_t a, uint32_t b) {
    uint32_t m = 1u << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0) break;
        }
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ CRC32C_POLY_REFLECTED : b >> 1;
    }
    return p;
}

typedef struct {
    const uint8_t *origin;  // prefix CRCs are of [origin, origin + x)
    size_t limit;           // bytes readable from origin
    uint32_t *blocks;       // blocks[i] = CRC of [origin, origin + 64 i)
    size_t have, capacity;
    int failed;
    uint32_t x2n[64];       // x^(2^k) mod P
} range_crc;

static void range_crc_init(range_crc *r, const uint8_t *origin, size_t limit) {
    r->origin = origin;
    r->limit = limit;
    r->blocks = NULL;
    r->have = 0;
    r->capacity = 0;
    r->failed = 0;
    uint32_t p = 1u << 30;  // x^1
    for (int k = 0; k < 64; k++) {
        r->x2n[k] = p;
        p = multmodp(p, p);
    }
}

static void range_crc_free(range_crc *r) { free(r->blocks); }

/// x^(8n) mod P.
static uint32_t x8nmodp(const range_crc *r, uint64_t n) {
    uint32_t p = 1u << 31;  // x^0
    int k = 3;
    while (n) {
        if (n & 1) p = multmodp(r->x2n[k & 63], p);
        n >>= 1;
        k++;
    }
    return p;
}

/// CRC of [origin, origin + x), or 0 with `failed` set when memory runs out.
static uint32_t prefix_crc(range_crc *r, size_t x) {
    size_t block = x / 64;
    if (block >= r->have) {
        if (block >= r->capacity) {
            size_t want = r->capacity ? r->capacity : 1024;
            while (want <= block) want *= 2;
            uint32_t *grown = realloc(r->blocks, want * sizeof(uint32_t));
            if (!grown) { r->failed = 1; return 0; }
            r->blocks = grown;
            r->capacity = want;
        }
        if (r->have == 0) { r->blocks[0] = 0; r->have = 1; }
        while (r->have <= block) {
            r->blocks[r->have] = csupport_crc32c_extend(r->blocks[r->have - 1], r->origin + (r->have - 1) * 64, 64);
            r->have++;
        }
    }
    return csupport_crc32c_extend(r->blocks[block], r->origin + block * 64, x - block * 64);
}

/// CRC32C of `[p, p + length)`, which lies inside the span of `r`.
static uint32_t range_crc_of(range_crc *r, const uint8_t *p, uint64_t length) {
    if (length <= 256 || r->failed) return csupport_crc32c_extend(0, p, (size_t)length);
    size_t a = (size_t)(p - r->origin);
    uint32_t ca = prefix_crc(r, a);
    uint32_t cb = prefix_crc(r, a + (size_t)length);
    if (r->failed) return csupport_crc32c_extend(0, p, (size_t)length);
    return cb ^ multmodp(x8nmodp(r, length), ca);
}

csupport_resync_result csupport_resync(const void *base, size_t size, size_t start) {
    return csupport_resync_bounded(base, size, start, UINT64_MAX);
}

csupport_resync_result csupport_resync_bounded(const void *base, size_t size, size_t start, uint64_t max_length) {
    const uint8_t *b = (const uint8_t *)base;
    csupport_resync_result r = {size, 0};
    range_crc crcs;
    range_crc_init(&crcs, b + (start < size ? start : size), start < size ? size - start : 0);
    for (uint64_t pos = start; pos < size; pos++) {
        if (size - pos < CSUPPORT_TFRECORD_HEADER_SIZE) {
            r.position = pos;  // a header may start here once more bytes arrive
            break;
        }
        uint64_t length;
        if (!csupport_read_header(b + pos, &length) || length > max_length) continue;
        uint64_t body = size - pos - CSUPPORT_TFRECORD_HEADER_SIZE;
        if (body < CSUPPORT_TFRECORD_FOOTER_SIZE || length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) {
            r.position = pos;  // plausible header, record incomplete
            break;
        }
        const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
        if (load_le32(payload + length) == csupport_crc32c_mask(range_crc_of(&crcs, payload, length))) {
            r.position = pos;
            r.complete = 1;
            break;
        }
    }
    range_crc_free(&crcs);
    return r;
}

uint64_t csupport_find_next_record(const void *base, size_t size, size_t start) {
    const uint8_t *b = (const uint8_t *)base;
    uint64_t found = size;
    range_crc crcs;
    range_crc_init(&crcs, b + (start < size ? start : size), start < size ? size - start : 0);
    for (uint64_t pos = start; pos + CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE <= size; pos++) {
        uint64_t length;
        if (!csupport_read_header(b + pos, &length)) continue;
        uint64_t body = size - pos - CSUPPORT_TFRECORD_HEADER_SIZE;
        if (length > body - CSUPPORT_TFRECORD_FOOTER_SIZE) continue;
        const uint8_t *payload = b + pos + CSUPPORT_TFRECORD_HEADER_SIZE;
        if (load_le32(payload + length) == csupport_crc32c_mask(range_crc_of(&crcs, payload, length))) {
            found = pos;
            break;
        }
    }
    range_crc_free(&crcs);
    return found;
}
