// libFuzzer harness for the record scanner: csupport_scan_records (with and without payload
// checks, from a start offset taken from the input) and csupport_scan_records_fast against it, csupport_find_next_record and
// csupport_resync over arbitrary bytes, asserting the invariants callers rely on: every position within bounds, offsets strictly
// ascending and chained by their length fields, the status consistent with the bytes at the
// stop position, resynchronisation landing on a record that scans clean, and a leveldb-style
// recovery walk always making progress.
#include "CSupport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond)                                                                  \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

static uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

// Does one complete, fully checked record start at `pos`?
static int record_at(const uint8_t *b, size_t size, size_t pos, uint64_t *length) {
    if (pos > size || size - pos < 12 || !csupport_read_header(b + pos, length)) return 0;
    if (*length > size - pos - 12 || size - pos - 12 - *length < 4) return 0;
    uint32_t crc = csupport_crc32c_mask(csupport_crc32c_extend(0, b + pos + 12, (size_t)*length));
    return load_le32(b + pos + 12 + *length) == crc;
}

static void check_scan(const uint8_t *b, size_t size, size_t start, int verify, uint64_t *offsets,
                       size_t capacity, csupport_scan_result *out) {
    csupport_scan_result r = csupport_scan_records(b, size, start, verify, offsets, capacity);
    REQUIRE(r.position >= start && r.position <= size);
    REQUIRE(r.records <= capacity);
    uint64_t expect = start;
    for (uint64_t i = 0; i < r.records; i++) {
        REQUIRE(offsets[i] == expect);  // chained: each record begins where the last one ended
        uint64_t length;
        REQUIRE(size - offsets[i] >= 16 && csupport_read_header(b + offsets[i], &length));
        REQUIRE(length <= size - offsets[i] - 16);
        if (verify) REQUIRE(record_at(b, size, (size_t)offsets[i], &length));
        expect = offsets[i] + 16 + length;
        REQUIRE(i == 0 || offsets[i] > offsets[i - 1]);
    }
    REQUIRE(r.position == expect);
    uint64_t remaining = size - r.position, length = 0;
    switch (r.status) {
    case CSUPPORT_SCAN_OK:
        REQUIRE(r.position == size || r.records == capacity);
        REQUIRE(r.length == 0);
        break;
    case CSUPPORT_SCAN_TRUNCATED_HEADER:
        REQUIRE(remaining > 0 && remaining < 12 && r.length == 0);
        break;
    case CSUPPORT_SCAN_BAD_LENGTH_CRC:
        REQUIRE(remaining >= 12 && !csupport_read_header(b + r.position, &length) && r.length == 0);
        break;
    case CSUPPORT_SCAN_TRUNCATED_RECORD:
        REQUIRE(remaining >= 12 && csupport_read_header(b + r.position, &length) && length == r.length);
        REQUIRE(length > remaining - 12 || remaining - 12 - length < 4);
        break;
    case CSUPPORT_SCAN_BAD_DATA_CRC:
        REQUIRE(verify && remaining >= 16 && csupport_read_header(b + r.position, &length) && length == r.length);
        REQUIRE(length <= remaining - 16 && !record_at(b, size, (size_t)r.position, &length));
        break;
    default:
        REQUIRE(!"unknown status");
    }
    *out = r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // The first two bytes choose a start offset; the whole input is the region.
    size_t start = size >= 2 ? ((size_t)data[0] | (size_t)data[1] << 8) % (size + 1) : 0;
    size_t capacity = size / 16 + 1;
    uint64_t *all = malloc(capacity * sizeof(uint64_t));
    uint64_t *checked = malloc(capacity * sizeof(uint64_t));
    REQUIRE(all && checked);

    csupport_scan_result a, c;
    check_scan(data, size, start, 0, all, capacity, &a);
    check_scan(data, size, start, 1, checked, capacity, &c);
    // Checking payloads can only stop earlier, never walk a different chain.
    REQUIRE(c.records <= a.records);
    REQUIRE(memcmp(all, checked, (size_t)c.records * sizeof(uint64_t)) == 0);
    if (c.status != CSUPPORT_SCAN_BAD_DATA_CRC) REQUIRE(c.records == a.records && c.status == a.status);
    // Capacity limits stop at a record boundary with status OK.
    if (a.records > 1) {
        csupport_scan_result l;
        check_scan(data, size, start, 0, all, (size_t)a.records - 1, &l);
        REQUIRE(l.status == CSUPPORT_SCAN_OK && l.records == a.records - 1 && l.position == all[a.records - 1]);
    }
    // The SSE4.2 header scanner gives the same results and offsets.
    for (int verify = 0; verify <= 1; verify++) {
        csupport_scan_result want = verify ? c : a;
        csupport_scan_result f = csupport_scan_records_fast(data, size, start, verify, checked, capacity);
        REQUIRE(f.records == want.records && f.position == want.position && f.status == want.status &&
                f.length == want.length);
        REQUIRE(memcmp(all, checked, (size_t)f.records * sizeof(uint64_t)) == 0);
    }
    // Counting without offsets agrees.
    csupport_scan_result n = csupport_scan_records(data, size, start, 1, NULL, SIZE_MAX);
    REQUIRE(n.records == c.records && n.position == c.position && n.status == c.status && n.length == c.length);

    // Resynchronisation: the first offset at or after `start` where a checked record lies.
    uint64_t next = csupport_find_next_record(data, size, start);
    REQUIRE(next >= start && next <= size);
    uint64_t length;
    if (next < size) REQUIRE(record_at(data, size, (size_t)next, &length));
    if (next - start <= 512) {
        for (uint64_t p = start; p < next; p++) REQUIRE(!record_at(data, size, (size_t)p, &length));
    }

    // Streaming resynchronisation stops at the first complete record or the first place one may
    // still start when more bytes arrive; never after what find_next_record finds.
    csupport_resync_result rs = csupport_resync(data, size, start);
    REQUIRE(rs.position >= start && rs.position <= size && rs.position <= next);
    REQUIRE(rs.complete == 0 || rs.complete == 1);
    if (rs.complete) {
        REQUIRE(rs.position == next && record_at(data, size, (size_t)rs.position, &length));
    } else if (rs.position < size) {
        uint64_t rem = size - rs.position;
        REQUIRE(rem < 12 || (csupport_read_header(data + rs.position, &length) &&
                             (length > rem - 12 || rem - 12 - length < 4)));
    } else {
        REQUIRE(next == size);
    }
    if (rs.position - start <= 512) {
        for (uint64_t p = start; p < rs.position; p++) {
            REQUIRE(size - p >= 12);
            REQUIRE(!record_at(data, size, (size_t)p, &length));
            if (csupport_read_header(data + p, &length)) REQUIRE(length <= size - p - 16);
        }
    }

    // Recovery walk (leveldb-style): scan, on damage resume one byte later; must always progress.
    uint64_t pos = 0, recovered = 0;
    int steps = 0;
    while (pos < size) {
        csupport_scan_result r = csupport_scan_records(data, size, (size_t)pos, 1, NULL, SIZE_MAX);
        recovered += r.records;
        if (r.status == CSUPPORT_SCAN_OK) break;
        uint64_t resume = csupport_find_next_record(data, size, (size_t)r.position + 1);
        REQUIRE(resume > r.position && resume <= size);
        pos = resume;
        REQUIRE(++steps <= (int)size + 1);
    }
    REQUIRE(recovered <= size / 16);

    free(all);
    free(checked);
    return 0;
}
