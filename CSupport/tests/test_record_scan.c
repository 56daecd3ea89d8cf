// Tests of csupport_read_header / csupport_write_header / csupport_frame_record(_fast) /
// csupport_check_indexed_record /
// csupport_scan_records /
// csupport_find_next_record / csupport_resync on hand-made buffers, and the same scans through
// csupport_scan_records_fast: good records, every truncation point, every
// single-bit flip, and forged lengths (2^40, 2^63-1, 2^64-1) whose length CRC is valid. Status
// codes, positions, record counts and lengths are checked exactly.
#include "CSupport.h"
#include "check.h"
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 16

// The scanner under test: csupport_scan_records, then csupport_scan_records_fast (same contract).
typedef csupport_scan_result (*scan_fn)(const void *, size_t, size_t, int, uint64_t *, size_t);
static scan_fn scan = csupport_scan_records;
static const char *scan_name = "csupport_scan_records";

typedef struct {
    uint8_t bytes[4096];
    size_t size;
    size_t count;
    uint64_t offsets[MAX_RECORDS];
    uint64_t lengths[MAX_RECORDS];
} file;

static void append_raw(file *f, const void *p, size_t n) {
    memcpy(f->bytes + f->size, p, n);
    f->size += n;
}

static void append_record(file *f, const uint8_t *payload, uint64_t length) {
    f->offsets[f->count] = f->size;
    f->lengths[f->count] = length;
    f->count++;
    uint8_t header[12];
    csupport_write_header(header, length);
    append_raw(f, header, 12);
    append_raw(f, payload, (size_t)length);
    uint32_t m = csupport_crc32c_mask(csupport_crc32c_extend(0, payload, (size_t)length));
    uint8_t footer[4] = {(uint8_t)m, (uint8_t)(m >> 8), (uint8_t)(m >> 16), (uint8_t)(m >> 24)};
    append_raw(f, footer, 4);
}

// Four records of lengths 0, 1, 300, 37 with pseudo-random payloads.
static void make_file(file *f) {
    memset(f, 0, sizeof *f);
    uint8_t payload[300];
    uint32_t x = 12345;
    for (int i = 0; i < 300; i++) payload[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
    append_record(f, payload, 0);
    append_record(f, payload, 1);
    append_record(f, payload, 300);
    append_record(f, payload + 100, 37);
}

// Index of the record containing byte `at`.
static size_t record_at(const file *f, size_t at) {
    size_t i = 0;
    while (i + 1 < f->count && f->offsets[i + 1] <= at) i++;
    return i;
}

static void test_headers(void) {
    // Header bytes computed independently (Python, bitwise CRC32C + TensorFlow mask).
    static const uint8_t h0[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0x29, 0x03, 0x98, 0x07};
    static const uint8_t h5[12] = {5, 0, 0, 0, 0, 0, 0, 0, 0xea, 0xb2, 0x04, 0x3e};
    static const uint8_t h40[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0xaa, 0x3d, 0x6b, 0xe4};
    uint8_t out[12];
    csupport_write_header(out, 0);
    CHECK(memcmp(out, h0, 12) == 0, "write_header(0)");
    csupport_write_header(out, 5);
    CHECK(memcmp(out, h5, 12) == 0, "write_header(5)");
    csupport_write_header(out, 1ull << 40);
    CHECK(memcmp(out, h40, 12) == 0, "write_header(2^40)");
    uint64_t len = 99;
    CHECK(csupport_read_header(h5, &len) == 1 && len == 5, "read_header(5)");
    CHECK(csupport_read_header(h40, &len) == 1 && len == (1ull << 40), "read_header(2^40)");
    uint8_t bad[12];
    for (int bit = 0; bit < 96; bit++) {
        memcpy(bad, h5, 12);
        bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        len = 77;
        CHECK(csupport_read_header(bad, &len) == 0 && len == 77, "read_header with bit %d flipped", bit);
    }
}

static void test_good(void) {
    file f;
    make_file(&f);
    uint64_t offsets[MAX_RECORDS];
    for (int verify = 0; verify <= 1; verify++) {
        csupport_scan_result r = scan(f.bytes, f.size, 0, verify, offsets, MAX_RECORDS);
        CHECK(r.status == CSUPPORT_SCAN_OK && r.records == f.count && r.position == f.size && r.length == 0,
              "good file: status %d records %llu position %llu", r.status, (unsigned long long)r.records,
              (unsigned long long)r.position);
        CHECK(memcmp(offsets, f.offsets, f.count * sizeof offsets[0]) == 0, "good file: offsets");
    }
    csupport_scan_result r = scan(f.bytes, f.size, 0, 1, NULL, SIZE_MAX);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == f.count && r.position == f.size, "count only");
    r = scan(f.bytes, f.size, 0, 1, offsets, 2);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == 2 && r.position == f.offsets[2], "capacity 2");
    r = scan(f.bytes, f.size, 0, 1, offsets, 0);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == 0 && r.position == 0, "capacity 0");
    r = scan(f.bytes, f.size, (size_t)f.offsets[2], 1, offsets, MAX_RECORDS);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == 2 && r.position == f.size && offsets[0] == f.offsets[2] &&
              offsets[1] == f.offsets[3], "start at record 2");
    r = scan(f.bytes, f.size, f.size, 1, offsets, MAX_RECORDS);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == 0 && r.position == f.size, "start at end");
    r = scan(f.bytes, 0, 0, 1, offsets, MAX_RECORDS);
    CHECK(r.status == CSUPPORT_SCAN_OK && r.records == 0 && r.position == 0, "empty region");
    for (size_t i = 0; i < f.count; i++)
        CHECK(csupport_find_next_record(f.bytes, f.size, (size_t)f.offsets[i]) == f.offsets[i], "find record %zu", i);
    CHECK(csupport_find_next_record(f.bytes, f.size, f.size) == f.size, "find at end");
    for (size_t i = 0; i < f.count; i++) {
        csupport_resync_result rs = csupport_resync(f.bytes, f.size, (size_t)f.offsets[i]);
        CHECK(rs.position == f.offsets[i] && rs.complete == 1, "resync at record %zu", i);
    }
    csupport_resync_result rs = csupport_resync(f.bytes, f.size, f.size);
    CHECK(rs.position == f.size && rs.complete == 0, "resync at end");
    CHECK(csupport_find_next_record(f.bytes, 0, 0) == 0, "find in empty region");
}

static void test_truncation(void) {
    file f;
    make_file(&f);
    for (size_t t = 0; t <= f.size; t++) {
        size_t complete = 0;
        while (complete < f.count && f.offsets[complete] + 16 + f.lengths[complete] <= t) complete++;
        uint64_t expect_pos = complete < f.count ? f.offsets[complete] : f.size;
        int expect_status = CSUPPORT_SCAN_OK;
        uint64_t expect_length = 0;
        if (t > expect_pos) {
            if (t - expect_pos < 12) {
                expect_status = CSUPPORT_SCAN_TRUNCATED_HEADER;
            } else {
                expect_status = CSUPPORT_SCAN_TRUNCATED_RECORD;
                expect_length = f.lengths[complete];
            }
        }
        for (int verify = 0; verify <= 1; verify++) {
            csupport_scan_result r = scan(f.bytes, t, 0, verify, NULL, SIZE_MAX);
            CHECK(r.status == expect_status && r.records == complete && r.position == expect_pos &&
                      r.length == expect_length,
                  "truncated at %zu: status %d/%d records %llu/%zu position %llu/%llu length %llu", t, r.status,
                  expect_status, (unsigned long long)r.records, complete, (unsigned long long)r.position,
                  (unsigned long long)expect_pos, (unsigned long long)r.length);
        }
        // No complete record starts after the last complete one.
        uint64_t next = csupport_find_next_record(f.bytes, t, (size_t)expect_pos);
        CHECK(next == t, "truncated at %zu: find_next_record %llu", t, (unsigned long long)next);
        // Streaming resync waits at the incomplete record (or finds nothing at the very end).
        csupport_resync_result rs = csupport_resync(f.bytes, t, (size_t)expect_pos);
        CHECK(rs.complete == 0 && rs.position == (t > expect_pos ? expect_pos : t),
              "truncated at %zu: resync %llu complete %d", t, (unsigned long long)rs.position, rs.complete);
    }
}

static void test_bit_flips(void) {
    file f;
    make_file(&f);
    for (size_t bit = 0; bit < f.size * 8; bit++) {
        size_t at = bit / 8;
        f.bytes[at] ^= (uint8_t)(1u << (bit % 8));
        size_t i = record_at(&f, at);
        int in_header = at - f.offsets[i] < 12;
        csupport_scan_result r = scan(f.bytes, f.size, 0, 1, NULL, SIZE_MAX);
        int expect_status = in_header ? CSUPPORT_SCAN_BAD_LENGTH_CRC : CSUPPORT_SCAN_BAD_DATA_CRC;
        uint64_t expect_length = in_header ? 0 : f.lengths[i];
        CHECK(r.status == expect_status && r.records == i && r.position == f.offsets[i] && r.length == expect_length,
              "bit %zu flipped: status %d/%d records %llu/%zu position %llu length %llu", bit, r.status,
              expect_status, (unsigned long long)r.records, i, (unsigned long long)r.position,
              (unsigned long long)r.length);
        // Without payload verification only header damage is seen.
        r = scan(f.bytes, f.size, 0, 0, NULL, SIZE_MAX);
        if (in_header) {
            CHECK(r.status == CSUPPORT_SCAN_BAD_LENGTH_CRC && r.records == i && r.position == f.offsets[i],
                  "bit %zu flipped, no payload check: status %d", bit, r.status);
        } else {
            CHECK(r.status == CSUPPORT_SCAN_OK && r.records == f.count && r.position == f.size,
                  "bit %zu flipped in payload, no payload check: status %d", bit, r.status);
        }
        // Resynchronisation lands exactly on the next intact record (or the end).
        uint64_t expect_next = i + 1 < f.count ? f.offsets[i + 1] : f.size;
        uint64_t next = csupport_find_next_record(f.bytes, f.size, (size_t)f.offsets[i] + 1);
        CHECK(next == expect_next, "bit %zu flipped: find_next_record %llu, expected %llu", bit,
              (unsigned long long)next, (unsigned long long)expect_next);
        CHECK(csupport_find_next_record(f.bytes, f.size, (size_t)f.offsets[i]) == expect_next,
              "bit %zu flipped: find_next_record from the damaged record", bit);
        csupport_resync_result rs = csupport_resync(f.bytes, f.size, (size_t)f.offsets[i] + 1);
        if (i + 1 < f.count) {
            CHECK(rs.position == expect_next && rs.complete == 1, "bit %zu flipped: resync %llu", bit,
                  (unsigned long long)rs.position);
        } else {
            uint64_t wait = f.size - 11 > f.offsets[i] + 1 ? f.size - 11 : f.offsets[i] + 1;
            CHECK(rs.position == wait && rs.complete == 0, "bit %zu flipped in the last record: resync %llu",
                  bit, (unsigned long long)rs.position);
        }
        f.bytes[at] ^= (uint8_t)(1u << (bit % 8));
    }
}

static void test_forged(void) {
    static const uint64_t forged[] = {1ull << 40, (1ull << 63) - 1, UINT64_MAX, UINT64_MAX - 11,
                                      UINT64_MAX - 15, 1ull << 63};
    for (size_t k = 0; k < sizeof forged / sizeof forged[0]; k++) {
        file f;
        make_file(&f);
        uint64_t at = f.size;
        uint8_t header[12];
        csupport_write_header(header, forged[k]);
        append_raw(&f, header, 12);
        uint64_t length;
        CHECK(csupport_read_header(header, &length) == 1 && length == forged[k], "forged %llu: read_header",
              (unsigned long long)forged[k]);
        uint64_t good = f.size;
        uint8_t payload[40];
        memset(payload, 0xA5, sizeof payload);
        append_record(&f, payload, sizeof payload);
        uint64_t offsets[MAX_RECORDS];
        for (int verify = 0; verify <= 1; verify++) {
            csupport_scan_result r = scan(f.bytes, f.size, 0, verify, offsets, MAX_RECORDS);
            CHECK(r.status == CSUPPORT_SCAN_TRUNCATED_RECORD && r.records == 4 && r.position == at &&
                      r.length == forged[k],
                  "forged %llu: status %d records %llu position %llu length %llu", (unsigned long long)forged[k],
                  r.status, (unsigned long long)r.records, (unsigned long long)r.position,
                  (unsigned long long)r.length);
        }
        CHECK(csupport_find_next_record(f.bytes, f.size, (size_t)at) == good, "forged %llu: find_next_record",
              (unsigned long long)forged[k]);
        // A stream may still deliver the forged record's bytes: resync waits there.
        csupport_resync_result rs = csupport_resync(f.bytes, f.size, (size_t)at);
        CHECK(rs.position == at && rs.complete == 0, "forged %llu: resync", (unsigned long long)forged[k]);
        rs = csupport_resync(f.bytes, f.size, (size_t)at + 1);
        CHECK(rs.position == good && rs.complete == 1, "forged %llu: resync past it", (unsigned long long)forged[k]);
        // The forged header as the very last bytes, and alone.
        csupport_scan_result r = scan(f.bytes, (size_t)good, 0, 1, NULL, SIZE_MAX);
        CHECK(r.status == CSUPPORT_SCAN_TRUNCATED_RECORD && r.records == 4 && r.position == at, "forged at end");
        r = scan(header, 12, 0, 1, NULL, SIZE_MAX);
        CHECK(r.status == CSUPPORT_SCAN_TRUNCATED_RECORD && r.records == 0 && r.position == 0 &&
                  r.length == forged[k], "forged alone");
        CHECK(csupport_find_next_record(header, 12, 0) == 12, "forged alone: nothing to find");
    }
}

// csupport_frame_record against a record assembled by hand (write_header, payload, masked CRC
// of the payload), then csupport_frame_record_fast against both, for every payload length up
// to 1100 bytes (every tail of the inline short-payload CRC, and the dispatcher above it).
static void test_framing(void) {
    static uint8_t payload[1100], expected[1116], out[1116], fast[1116];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof payload; i++) {
        x = x * 1103515245u + 12345u;
        payload[i] = (uint8_t)(x >> 16);
    }
    for (size_t n = 0; n <= sizeof payload; n++) {
        csupport_write_header(expected, n);
        memcpy(expected + 12, payload, n);
        uint32_t m = csupport_crc32c_mask(csupport_crc32c_extend(0, payload, n));
        for (int k = 0; k < 4; k++) expected[12 + n + (size_t)k] = (uint8_t)(m >> (8 * k));
        memset(out, 0xAB, sizeof out);
        memset(fast, 0xCD, sizeof fast);
        size_t a = csupport_frame_record(out, payload, n);
        size_t b = csupport_frame_record_fast(fast, payload, n);
        CHECK(a == n + 16 && memcmp(out, expected, n + 16) == 0, "frame_record(%zu bytes)", n);
        CHECK(b == n + 16 && memcmp(fast, expected, n + 16) == 0, "frame_record_fast(%zu bytes)", n);
        CHECK(n + 16 == sizeof fast || fast[n + 16] == 0xCD, "frame_record_fast(%zu bytes) wrote past the record", n);
    }
}

// csupport_check_indexed_record on every record of make_file: 1 for each intact record with and
// without the payload check; 0 after any single-bit flip (with the payload check), or after a
// flip in the header (without it); 0 for an index entry whose end is one byte off.
static void test_indexed_check(void) {
    file f;
    make_file(&f);
    for (size_t i = 0; i < f.count; i++) {
        uint64_t at = f.offsets[i], next = at + 16 + f.lengths[i];
        CHECK(csupport_check_indexed_record(f.bytes, at, next, 1) == 1, "indexed check of record %zu", i);
        CHECK(csupport_check_indexed_record(f.bytes, at, next, 0) == 1, "indexed header check of record %zu", i);
        if (next + 1 <= f.size)
            CHECK(csupport_check_indexed_record(f.bytes, at, next + 1, 1) == 0, "record %zu, index one byte long", i);
        if (next - 1 >= at + 16)
            CHECK(csupport_check_indexed_record(f.bytes, at, next - 1, 1) == 0, "record %zu, index one byte short", i);
        for (uint64_t bit = at * 8; bit < next * 8; bit++) {
            f.bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            CHECK(csupport_check_indexed_record(f.bytes, at, next, 1) == 0, "record %zu, bit %llu flipped", i,
                  (unsigned long long)bit);
            int in_header = bit < (at + 12) * 8;
            CHECK(csupport_check_indexed_record(f.bytes, at, next, 0) == !in_header,
                  "record %zu, bit %llu flipped, header only", i, (unsigned long long)bit);
            f.bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
}

void test_record_scan(void) {
    test_headers();
    long failed_before_indexed = check_failed;
    test_indexed_check();
    printf("indexed record check: %s\n", check_failed == failed_before_indexed ? "ok" : "FAILED");
    long failed_before_framing = check_failed;
    test_framing();
    printf("record framing: %s\n", check_failed == failed_before_framing ? "ok" : "FAILED");
    scan_fn scanners[] = {csupport_scan_records, csupport_scan_records_fast};
    const char *names[] = {"csupport_scan_records", "csupport_scan_records_fast"};
    for (int i = 0; i < 2; i++) {
        scan = scanners[i];
        scan_name = names[i];
        long failed_before = check_failed;
        test_good();
        test_truncation();
        test_bit_flips();
        test_forged();
        printf("record scan: %s: %s\n", scan_name, check_failed == failed_before ? "ok" : "FAILED");
    }
}
