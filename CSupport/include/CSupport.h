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
#include <zlib.h>
#include <lz4frame.h>
#include <libdeflate.h>

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

/// Reads the u64 LE length of the header at `header` (12 readable bytes) and checks its CRC.
/// Returns 1 and stores the length when the CRC matches, 0 otherwise.
int csupport_read_header(const void *header, uint64_t *length);

/// Writes a 12-byte header for a payload of `length` bytes into `out`.
void csupport_write_header(void *out, uint64_t length);

/// Searches `[base+start, base+size)` for the next offset where a complete record lies whose
/// length CRC and payload CRC both check (leveldb-style resynchronisation after damage).
/// Returns that offset, or `size` when none is found.
uint64_t csupport_find_next_record(const void *base, size_t size, size_t start);

/// What `csupport_resync` found.
typedef struct {
    /// Where reading can go on: a complete valid record (`complete` = 1), the earliest place a
    /// valid record may start once more bytes arrive (`complete` = 0), or `size` (nothing).
    uint64_t position;
    /// 1 when a complete record whose length CRC and payload CRC check starts at `position`.
    int32_t complete;
} csupport_resync_result;

/// Like `csupport_find_next_record`, for streamed input that continues past `size`: also stops
/// at the first place where a record could still start when more bytes arrive (a header whose
/// length CRC checks but whose record runs past `size`, or the last 11 bytes).
csupport_resync_result csupport_resync(const void *base, size_t size, size_t start);

// MARK: - zlib and LZ4 frame shims (zlib_shims.c)

/// `deflateInit2` (a macro Swift cannot see) with `Z_DEFLATED`. `window_bits` is 15 for a zlib
/// stream, 31 (15 + 16) for gzip, -15 for raw deflate. Returns zlib's status (`Z_OK` on success).
int csupport_deflate_init2(z_stream *stream, int level, int window_bits, int mem_level, int strategy);

/// `inflateInit2` (a macro Swift cannot see). `window_bits` 15 reads zlib, 31 gzip, 47 either,
/// -15 raw deflate. Returns zlib's status (`Z_OK` on success).
int csupport_inflate_init2(z_stream *stream, int window_bits);

/// `LZ4F_getErrorName`: the text of an LZ4F error code.
const char *csupport_lz4f_error_name(size_t code);

/// `LZ4F_isError`: non-zero when `code` (an LZ4F function's result) is an error.
unsigned csupport_lz4f_is_error(size_t code);

// MARK: - ISA-L inflate (isal_shims.c)

/// An ISA-L (igzip) streaming inflater for one gzip member or zlib stream at a time.
typedef struct csupport_isal_inflater csupport_isal_inflater;

/// A new inflater for gzip (`zlib` = 0) or zlib (`zlib` = 1) streams, or NULL without memory.
csupport_isal_inflater *csupport_isal_inflater_create(int zlib);
/// Makes the inflater ready for the next member / stream.
void csupport_isal_inflater_reset(csupport_isal_inflater *inflater);
/// Frees the inflater.
void csupport_isal_inflater_free(csupport_isal_inflater *inflater);
/// Inflates from `in` into `out`: stores the bytes consumed and produced, and `finished` = 1
/// when the member's trailer has been read and checked. Returns 0, or a negative ISA-L error
/// (damaged data, bad wrapper, checksum mismatch), or -200 when the member ended but the start
/// of what follows it is not known exactly (the caller must redo the member another way).
int csupport_isal_inflate(csupport_isal_inflater *inflater, const void *in, size_t in_len, size_t *consumed,
                          void *out, size_t out_len, size_t *produced, int *finished);

#ifdef __cplusplus
}
#endif

#endif
