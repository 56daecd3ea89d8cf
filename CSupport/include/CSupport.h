// CSupport: the C core of swift-tfrecord.
//
// Why C: hardware CRC32C needs per-function target attributes and intrinsics; the record and
// varint scanners are hot loops over mapped memory that must not allocate; zlib's init functions
// are macros Swift cannot call. Every symbol is prefixed `csupport_`. Everything takes
// `const void *` + length, so Swift never needs `assumingMemoryBound`.
#ifndef CSUPPORT_H
#define CSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - TFRecord format constants (the one place they are defined; leveldb's log_format.h model)

/// Bytes before a payload: u64 LE length + masked CRC32C of those 8 bytes.
#define CSUPPORT_TFRECORD_HEADER_SIZE 12
/// Bytes after a payload: masked CRC32C of the payload.
#define CSUPPORT_TFRECORD_FOOTER_SIZE 4
/// Added after rotating right by 15 bits when masking a CRC (TensorFlow's `crc32c::Mask`).
#define CSUPPORT_CRC32C_MASK_DELTA 0xa282ead8u

// MARK: - CRC32C (Castagnoli)

/// Extends `crc` (an unmasked CRC32C, 0 to start) over `len` bytes at `data`, using the fastest
/// implementation this CPU supports (picked once, at first use).
uint32_t csupport_crc32c_extend(uint32_t crc, const void *data, size_t len);

/// TensorFlow's mask: rotate right by 15 bits, then add `CSUPPORT_CRC32C_MASK_DELTA`.
static inline uint32_t csupport_crc32c_mask(uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + CSUPPORT_CRC32C_MASK_DELTA;
}

/// Inverse of `csupport_crc32c_mask`.
static inline uint32_t csupport_crc32c_unmask(uint32_t masked) {
    uint32_t rot = masked - CSUPPORT_CRC32C_MASK_DELTA;
    return (rot >> 17) | (rot << 15);
}

/// A CRC32C implementation: same contract as `csupport_crc32c_extend`.
typedef uint32_t (*csupport_crc32c_fn)(uint32_t crc, const void *data, size_t len);

/// Number of implementations compiled in (some may not run on this CPU).
int csupport_crc32c_implementation_count(void);
/// Name of implementation `i` ("portable", "sse42", ...), or NULL when out of range.
const char *csupport_crc32c_implementation_name(int i);
/// Implementation `i`, or NULL when this CPU cannot run it or `i` is out of range.
csupport_crc32c_fn csupport_crc32c_implementation(int i);
/// Name of the implementation `csupport_crc32c_extend` dispatches to.
const char *csupport_crc32c_active_name(void);

// MARK: - Record scanning over mapped memory

/// Why a scan stopped.
typedef enum {
    /// Every complete record up to the end of the region (or up to `capacity`) was read.
    CSUPPORT_SCAN_OK = 0,
    /// Fewer than 12 bytes remain at `position` (but more than zero).
    CSUPPORT_SCAN_TRUNCATED_HEADER = 1,
    /// The masked CRC of the length at `position` does not match.
    CSUPPORT_SCAN_BAD_LENGTH_CRC = 2,
    /// The record at `position` claims more bytes (payload + footer) than remain.
    CSUPPORT_SCAN_TRUNCATED_RECORD = 3,
    /// The payload CRC of the record at `position` does not match.
    CSUPPORT_SCAN_BAD_DATA_CRC = 4,
} csupport_scan_status;

/// The outcome of `csupport_scan_records`.
typedef struct {
    /// Offset of the first record not consumed: the end, the damaged record, or the next record.
    uint64_t position;
    /// Number of complete, checked records consumed by this call.
    uint64_t records;
    /// A `csupport_scan_status`.
    int32_t status;
    /// The length field of the record at `position` when the status is TRUNCATED_RECORD or
    /// BAD_DATA_CRC; 0 otherwise.
    uint64_t length;
} csupport_scan_result;

/// Walks TFRecord framing in `[base, base+size)` starting at `start`, zero-copy, no allocation.
/// Checks every length CRC and, when `verify_payload` is non-zero, every payload CRC. Writes the
/// header offset of each good record into `offsets` (may be NULL to only count), at most
/// `capacity` records (use SIZE_MAX with NULL to count all). Stops at the first damage.
csupport_scan_result csupport_scan_records(const void *base, size_t size, size_t start,
                                           int verify_payload, uint64_t *offsets,
                                           size_t capacity);

/// `csupport_scan_records` with each length CRC checked by one hardware CRC32C instruction
/// (SSE4.2) when the CPU has it: same contract, same results, several times faster for header-only
/// scans (index building) and single-record lookups.
csupport_scan_result csupport_scan_records_fast(const void *base, size_t size, size_t start,
                                                int verify_payload, uint64_t *offsets,
                                                size_t capacity);

/// Reads the u64 LE length of the header at `header` (12 readable bytes) and checks its CRC.
/// Returns 1 and stores the length when the CRC matches, 0 otherwise.
int csupport_read_header(const void *header, uint64_t *length);

/// Writes a 12-byte header for a payload of `length` bytes into `out`.
void csupport_write_header(void *out, uint64_t length);

/// Searches `[base+start, base+size)` for the next offset where a complete record lies whose
/// length CRC and payload CRC both check (leveldb-style resynchronisation after damage).
/// Returns that offset, or `size` when none is found.
uint64_t csupport_find_next_record(const void *base, size_t size, size_t start);

// MARK: - Memory

/// Asks the CPU to start loading the cache line at `address` (a hint; never faults). Lets a batch
/// of random record lookups overlap their memory latencies.
static inline void csupport_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#ifdef __cplusplus
}
#endif

#endif
