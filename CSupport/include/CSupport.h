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
// The compression libraries are part of the Swift module; the portable C core (CRC32C, record
// and protobuf scanning) builds without them (CSUPPORT_CORE_ONLY), e.g. cross-compiled for arm64.
#ifndef CSUPPORT_CORE_ONLY
#include <zlib.h>
#include <lz4frame.h>
#include <libdeflate.h>
#endif

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

/// Checks the record an index places at `[offset, next)` of `base`: its header holds the length
/// `next - offset - 16` with a matching length CRC and, when `verify_payload` is non-zero, its
/// payload CRC matches. Returns 1 when all hold, 0 otherwise (the caller then finds out which
/// with `csupport_scan_records`). The caller guarantees `offset + 16 <= next` and that
/// `[base+offset, base+next)` is readable.
int csupport_check_indexed_record(const void *base, uint64_t offset, uint64_t next, int verify_payload);

/// Reads the u64 LE length of the header at `header` (12 readable bytes) and checks its CRC.
/// Returns 1 and stores the length when the CRC matches, 0 otherwise.
int csupport_read_header(const void *header, uint64_t *length);

/// Writes a 12-byte header for a payload of `length` bytes into `out`.
void csupport_write_header(void *out, uint64_t length);

/// Writes the whole framed record (header, payload copy, payload CRC) into `out`, which must
/// have `length + 16` bytes. Returns the number of bytes written.
size_t csupport_frame_record(void *out, const void *payload, size_t length);

/// `csupport_frame_record` with the CRCs of short payloads computed by inline SSE4.2 `crc32`
/// instructions when the CPU has them: same bytes out, about twice as fast for 100-byte records.
size_t csupport_frame_record_fast(void *out, const void *payload, size_t length);

/// Searches `[base+start, base+size)` for the next offset where a complete record lies whose
/// length CRC and payload CRC both check (leveldb-style resynchronisation after damage).
/// Returns that offset, or `size` when none is found.
uint64_t csupport_find_next_record(const void *base, size_t size, size_t start);


// MARK: - Protobuf wire-format scanning (tf.train.Example without decoding)

/// Why a protobuf scan stopped. Every error comes with the byte offset where it was found.
typedef enum {
    /// The field or message was read completely.
    CSUPPORT_PB_OK = 0,
    /// The bytes end in the middle of a varint.
    CSUPPORT_PB_TRUNCATED_VARINT = 1,
    /// A varint is longer than 10 bytes.
    CSUPPORT_PB_VARINT_TOO_LONG = 2,
    /// A length-delimited field claims more bytes than remain.
    CSUPPORT_PB_LENGTH_PAST_END = 3,
    /// A fixed32 / fixed64 field is cut short.
    CSUPPORT_PB_TRUNCATED_FIXED = 4,
    /// Wire type 6 or 7, or an end-group tag without its start (or with another field number).
    CSUPPORT_PB_BAD_WIRE_TYPE = 5,
    /// A tag with field number 0.
    CSUPPORT_PB_BAD_FIELD_NUMBER = 6,
    /// A start-group tag whose end-group tag never comes.
    CSUPPORT_PB_UNTERMINATED_GROUP = 7,
    /// Groups nested deeper than 64 levels.
    CSUPPORT_PB_TOO_DEEP = 8,
} csupport_pb_status;

/// Protobuf wire types.
enum {
    CSUPPORT_PB_VARINT = 0,
    CSUPPORT_PB_I64 = 1,
    CSUPPORT_PB_LEN = 2,
    CSUPPORT_PB_SGROUP = 3,
    CSUPPORT_PB_EGROUP = 4,
    CSUPPORT_PB_I32 = 5,
};

/// One field of a message, as `csupport_pb_next_field` found it.
typedef struct {
    /// The field number (1 ... 2^29-1).
    uint32_t number;
    /// The wire type (`CSUPPORT_PB_VARINT` ...).
    uint32_t wire_type;
    /// The varint value, the fixed value (little-endian decoded), or the length of a LEN field.
    uint64_t value;
    /// Offset of the LEN field's data (or of the group's first inner field); of the value otherwise.
    uint64_t data;
    /// Offset just past the field (past the end-group tag for a group).
    uint64_t end;
} csupport_pb_field;

/// Reads a varint at `*pos` in `[base, base+size)` and advances `*pos`. On error `*pos` is left
/// at the varint's first byte. Returns a `csupport_pb_status`.
int csupport_pb_read_varint(const void *base, size_t size, size_t *pos, uint64_t *value);

/// Reads the field whose tag starts at `pos` (`pos < size`); skips groups whole, checking their
/// nesting. On error stores the offset of the damage in `*error_offset`.
/// Returns a `csupport_pb_status`.
int csupport_pb_next_field(const void *base, size_t size, size_t pos, csupport_pb_field *field,
                           size_t *error_offset);

/// Where a map entry was found.
typedef struct {
    /// 1 when an entry with the key was found.
    int32_t found;
    /// Offset and length of the whole map entry message (key and value fields) of the LAST entry
    /// with the key (protobuf: the last one wins).
    uint64_t entry_offset;
    uint64_t entry_length;
} csupport_pb_entry;

/// Finds the feature named `key` in a serialized `tf.train.Example` (or the context of a
/// `SequenceExample`, `top_field` 1; its feature lists with `top_field` 2, `map_field` 1) without
/// decoding anything else: walks every top-level field `top_field` (occurrences merge), every
/// map entry (field `map_field`) inside it, and compares keys. Unknown fields are skipped; only
/// the bytes walked are checked. Returns a `csupport_pb_status`; `*error_offset` on error.
int csupport_pb_find_entry(const void *base, size_t size, uint32_t top_field, uint32_t map_field,
                           const void *key, size_t key_length, csupport_pb_entry *entry,
                           size_t *error_offset);

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

/// `csupport_resync` that ignores headers claiming more than `max_length` payload bytes (a
/// reader's record size cap): they are not candidates.
csupport_resync_result csupport_resync_bounded(const void *base, size_t size, size_t start, uint64_t max_length);

/// Installs a SIGBUS handler that writes `message` (at most 511 bytes) to standard error and
/// ends the process with `status` (bus_error.c: a mapped file truncated by another process
/// faults with SIGBUS; a command-line tool must exit with a code, not a signal). Returns
/// sigaction's result.
int csupport_exit_on_bus_error(const char *message, int status);

#ifndef CSUPPORT_CORE_ONLY
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

#endif  // CSUPPORT_CORE_ONLY

// MARK: - Confined open (openat2_shim.c)

/// `openat2(directory, path, {flags, resolve: RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS})`: opens
/// `path` only if its resolution stays beneath `directory` (no absolute path, no `..` above it,
/// no link out of it). Returns the descriptor, or -1 with `errno` (`EXDEV` for an escape, `ENOSYS`
/// before Linux 5.6, `EPERM` under a seccomp filter that refuses the call).
int csupport_openat2_beneath(int directory, const char *path, int flags);

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
