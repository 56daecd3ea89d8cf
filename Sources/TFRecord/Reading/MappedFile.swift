import CSupport
import Dispatch
import Synchronization
/// An uncompressed TFRecord file, read through a read-only memory map.
///
/// Payloads are handed out as `RawSpan`s into the map (no copy) inside a closure, or as owned
/// `[UInt8]` copies. A `MappedFile` is immutable and `Sendable`: many threads may read records
/// from one instance at once, with no lock.
///
/// The file must not be truncated by another process while it is open: reading a page past the
/// new end of a mapped file kills the process with `SIGBUS`. For files that may change, read
/// them with `RecordReader(path:options:)` and `ReadOptions.useMemoryMap = false`, which uses
/// `read(2)`.
package final class MappedFile: Sendable {
    /// The file's path, as given.
    package let path: String
    let region: MappedRegion
    let descriptor: FileDescriptor
    var fd: Int32 { descriptor.raw }

    /// How records will be read; sets the kernel's read-ahead policy for the map.
    package enum AccessPattern: Sendable {
        /// Front to back (counting, scanning, copying).
        case sequential
        /// By offset or record number, in any order.
        case random
    }

    /// Opens and maps `path`.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - access: the expected access pattern (an `madvise` hint).
    /// - Throws: `TFRecordError.io` when the file cannot be opened, is a directory or cannot be
    ///   mapped.
    package init(path: String, access: AccessPattern = .sequential) throws(TFRecordError) {
        self.path = path
        let descriptor = try FileDescriptor(opening: path, .read)
        let size = try SystemCalls.size(descriptor.raw, path: path)
        region = try MappedRegion(fd: descriptor.raw, count: size, path: path)
        self.descriptor = descriptor
        region.advise(access == .sequential ? .sequential : .random)
        var length: UInt64 = 0
        hasLargeRecords = region.bytes.count > 16 << 20
            && csupport_read_header(region.bytes.baseAddress!, &length) != 0 && length >= 64 << 10
    }

    /// The size of the file in bytes when it was opened.
    package var byteCount: Int { region.bytes.count }

    /// Throws when another process has truncated the file below the mapped size: touching a
    /// mapped page past the new end would kill the process with `SIGBUS`. (A truncation racing
    /// with the read that follows cannot be caught this way; files that may change should be
    /// read with `ReadOptions.useMemoryMap = false`.)
    func checkNotTruncated(recordNumber: Int?) throws(TFRecordError) {
        let status = try SystemCalls.status(fd, path: path)
        if status.size < UInt64(region.bytes.count) {
            throw TFRecordError(.io, "the file was truncated while open (mapped \(region.bytes.count) bytes, now \(status.size)); reopen it",
                                path: path, recordNumber: recordNumber, errno: SystemCalls.Code.stale)
        }
    }

    /// Calls `body` with every record's number and payload, in order, zero-copy.
    ///
    /// Records before any damage are delivered; then the damage is thrown.
    /// - Parameters:
    ///   - verifyingChecksums: check every payload CRC (length CRCs are always checked).
    ///   - body: receives the record number and the payload, valid only during the call.
    /// - Throws: `TFRecordError` (`.corrupted` / `.truncated`) naming the record and offset, or
    ///   what `body` throws.
    /// - Complexity: O(file size).
    package func forEachRecord(verifyingChecksums: Bool = true,
                              _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        try scanRecords(verifyingChecksums: verifyingChecksums, recovering: false, onSkip: { _ in }, body)
    }

    /// Calls `body` with every intact record, skipping damaged bytes (recovery mode).
    ///
    /// After damage, reading resumes at the next offset where a record's length CRC and payload
    /// CRC both check; each skipped range is passed to `onSkip`. Recovered records are numbered
    /// as they are delivered.
    /// - Parameters:
    ///   - verifyingChecksums: check every payload CRC (length CRCs are always checked).
    ///   - onSkip: receives each skipped byte range with the damage found there.
    ///   - body: receives the record number and the payload, valid only during the call.
    /// - Throws: what `body` or `onSkip` throws; damage is reported, not thrown.
    package func forEachRecord(verifyingChecksums: Bool = true,
                              skippingCorrupt onSkip: (SkippedRange) throws -> Void,
                              _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        try scanRecords(verifyingChecksums: verifyingChecksums, recovering: true, onSkip: onSkip, body)
    }

    /// The payload of the record whose header is at `header`, which the C scanner has already
    /// checked (so the length is trusted and the payload lies inside the map).
    @inline(__always)
    static func payload(ofCheckedRecordAt header: UnsafeRawPointer) -> UnsafeRawBufferPointer {
        let length = UInt64(littleEndian: header.loadUnaligned(as: UInt64.self))
        return UnsafeRawBufferPointer(start: header + Int(CSUPPORT_TFRECORD_HEADER_SIZE), count: Int(length))
    }

    /// Whether a sequential scan is bound by page faults more than by per-record work: a file
    /// over 16 MiB whose first record holds 64 KiB or more. Such scans map pages ahead on a
    /// helper thread (Benchmarks/README.md, "Figures behind the code"); small records map inline.
    private let hasLargeRecords: Bool

    private func scanRecords(verifyingChecksums: Bool, recovering: Bool,
                             onSkip: (SkippedRange) throws -> Void,
                               _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        if hasLargeRecords {
            return try scanLargeRecords(verifyingChecksums: verifyingChecksums, recovering: recovering, onSkip: onSkip, body)
        }
        let bytes = region.bytes
        guard let base = bytes.baseAddress else { return }
        let batch = 1024
        var offsets = [UInt64](repeating: 0, count: batch)
        var position = 0
        var recordNumber = 0
        let prefetchChunk = 8 << 20
        var prefetchedUpTo = 0
        while true {
            try checkNotTruncated(recordNumber: recordNumber)
            if position + prefetchChunk / 2 >= prefetchedUpTo && prefetchedUpTo < bytes.count {
                region.prefetch(offset: prefetchedUpTo, count: prefetchChunk)
                prefetchedUpTo += prefetchChunk
            }
            let result = offsets.withUnsafeMutableBufferPointer { buffer in
                csupport_scan_records(base, bytes.count, position, verifyingChecksums ? 1 : 0,
                                      buffer.baseAddress, batch)
            }
            for i in 0..<Int(result.records) {
                let payload = MappedFile.payload(ofCheckedRecordAt: base + Int(offsets[i]))
                try body(recordNumber, RawSpan(_unsafeBytes: payload))
                recordNumber += 1
            }
            position = Int(result.position)
            if let error = ScanFailure.error(for: result, recordNumber: recordNumber,
                                             remaining: UInt64(bytes.count - position), path: path,
                                             head: bytes) {
                guard recovering else { throw error }
                let resume = Int(csupport_find_next_record(base, bytes.count, position + 1))
                try onSkip(SkippedRange(range: UInt64(position)..<UInt64(resume), nextRecordNumber: recordNumber, error: error))
                position = resume
            }
            if position >= bytes.count { return }
        }
    }

    /// `scanRecords` for large records: windows behind a page-mapping thread. Its delivery and
    /// damage handling repeat `scanRecords`' on purpose: one loop serving both cost 28% more
    /// instructions on small records (Benchmarks/README.md, "Figures behind the code").
    private func scanLargeRecords(verifyingChecksums: Bool, recovering: Bool,
                             onSkip: (SkippedRange) throws -> Void,
                               _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        let bytes = region.bytes
        let base = bytes.baseAddress!
        let batch = 1024
        var offsets = [UInt64](repeating: 0, count: batch)
        var position = 0
        var recordNumber = 0
        // A helper thread maps pages ahead of the scan (MADV_POPULATE_READ), so page faults and
        // checksumming overlap; the scan works in windows of `window` bytes behind it.
        let window = 4 << 20
        let prefetcher = PageMapper(region: region)
        defer { prefetcher.finish() }
        while true {
            try checkNotTruncated(recordNumber: recordNumber)
            prefetcher.consumed(upTo: position)
            var end = min(bytes.count, position + window)
            var result = offsets.withUnsafeMutableBufferPointer { buffer in
                csupport_scan_records(base, end, position, verifyingChecksums ? 1 : 0, buffer.baseAddress, batch)
            }
            if end < bytes.count && result.records == 0
                && (result.status == Int32(CSUPPORT_SCAN_TRUNCATED_HEADER.rawValue)
                    || result.status == Int32(CSUPPORT_SCAN_TRUNCATED_RECORD.rawValue)) {
                // A record longer than the window: scan it against the whole file.
                end = bytes.count
                result = offsets.withUnsafeMutableBufferPointer { buffer in
                    csupport_scan_records(base, end, position, verifyingChecksums ? 1 : 0, buffer.baseAddress, 1)
                }
            } else if end < bytes.count && result.status != Int32(CSUPPORT_SCAN_OK.rawValue) && result.status != Int32(CSUPPORT_SCAN_BAD_LENGTH_CRC.rawValue) && result.status != Int32(CSUPPORT_SCAN_BAD_DATA_CRC.rawValue) {
                // Stopped at the window's edge, not at damage: go on from there.
                result.status = Int32(CSUPPORT_SCAN_OK.rawValue)
            }
            for i in 0..<Int(result.records) {
                let payload = MappedFile.payload(ofCheckedRecordAt: base + Int(offsets[i]))
                try body(recordNumber, RawSpan(_unsafeBytes: payload))
                recordNumber += 1
            }
            position = Int(result.position)
            if let error = ScanFailure.error(for: result, recordNumber: recordNumber,
                                             remaining: UInt64(bytes.count - position), path: path,
                                             head: bytes) {
                guard recovering else { throw error }
                let resume = Int(csupport_find_next_record(base, bytes.count, position + 1))
                try onSkip(SkippedRange(range: UInt64(position)..<UInt64(resume), nextRecordNumber: recordNumber, error: error))
                position = resume
            }
            if position >= bytes.count { return }
        }
    }

    /// Copies every payload out of the file.
    /// - Parameter verifyingChecksums: check every payload CRC.
    /// - Returns: the payloads, in order.
    /// - Throws: `TFRecordError` at the first damaged record.
    package func allRecords(verifyingChecksums: Bool = true) throws(TFRecordError) -> [[UInt8]] {
        // `recordOffsets` checks every record; the copies then read only checked bytes.
        let offsets = try recordOffsets(verifyingChecksums: verifyingChecksums)
        guard let base = region.bytes.baseAddress else { return [] }
        return offsets.map { [UInt8](MappedFile.payload(ofCheckedRecordAt: base + Int($0))) }
    }

    /// The header offset of every record, from one zero-copy pass of the C scanner.
    /// - Parameter verifyingChecksums: also check every payload CRC (length CRCs are always
    ///   checked).
    /// - Returns: offsets in ascending order.
    /// - Throws: `TFRecordError` at the first damaged record.
    /// - Complexity: O(file size) with payload checks, O(record count) page touches without.
    package func recordOffsets(verifyingChecksums: Bool = false) throws(TFRecordError) -> [UInt64] {
        let bytes = region.bytes
        guard let base = bytes.baseAddress else { return [] }
        var offsets: [UInt64] = []
        var position = 0
        var chunk = 4096
        while true {
            try checkNotTruncated(recordNumber: offsets.count)
            let before = offsets.count
            offsets.append(contentsOf: repeatElement(0, count: chunk))
            let result = offsets.withUnsafeMutableBufferPointer { buffer in
                csupport_scan_records(base, bytes.count, position, verifyingChecksums ? 1 : 0,
                                      buffer.baseAddress! + before, chunk)
            }
            offsets.removeLast(chunk - Int(result.records))
            position = Int(result.position)
            if let error = ScanFailure.error(for: result, recordNumber: offsets.count,
                                             remaining: UInt64(bytes.count - position), path: path,
                                             head: bytes) {
                throw error
            }
            if position >= bytes.count { return offsets }
            chunk = min(chunk * 2, 1 << 20)
        }
    }

    /// Counts the records with one pass over the headers.
    /// - Parameter verifyingChecksums: also check every payload CRC.
    /// - Throws: `TFRecordError` at the first damaged record.
    package func countRecords(verifyingChecksums: Bool = false) throws(TFRecordError) -> Int {
        let bytes = region.bytes
        guard let base = bytes.baseAddress else { return 0 }
        try checkNotTruncated(recordNumber: nil)
        let result = csupport_scan_records(base, bytes.count, 0, verifyingChecksums ? 1 : 0, nil, Int.max)
        if let error = ScanFailure.error(for: result, recordNumber: Int(result.records),
                                         remaining: UInt64(bytes.count) - result.position, path: path,
                                         head: bytes) {
            throw error
        }
        return Int(result.records)
    }

    /// Calls `body` with the payload of the record whose header is at `offset`, zero-copy.
    ///
    /// The header's length CRC is always checked, so a wrong offset is reported, never trusted.
    /// - Parameters:
    ///   - offset: the byte offset of the record's 12-byte header.
    ///   - recordNumber: the record's number, used in error messages.
    ///   - verifyingChecksums: also check the payload CRC.
    ///   - body: receives the payload, valid only during the call.
    /// - Returns: what `body` returns.
    /// - Throws: `TFRecordError` when the record at `offset` is damaged or runs past the end,
    ///   or what `body` throws.
    /// - Complexity: O(payload length) with the checksum, O(1) without.
    package func withRecord<R>(atOffset offset: UInt64, recordNumber: Int? = nil, verifyingChecksums: Bool = true,
                              _ body: (RawSpan) throws -> R) throws -> R {
        let payload = try payloadBytes(atOffset: offset, recordNumber: recordNumber, verifyingChecksums: verifyingChecksums)
        return try body(RawSpan(_unsafeBytes: payload))
    }

    /// A copy of the payload of the record whose header is at `offset`.
    /// - Throws: `TFRecordError` when the record at `offset` is damaged or runs past the end.
    package func record(atOffset offset: UInt64, recordNumber: Int? = nil,
                       verifyingChecksums: Bool = true) throws(TFRecordError) -> [UInt8] {
        [UInt8](try payloadBytes(atOffset: offset, recordNumber: recordNumber, verifyingChecksums: verifyingChecksums))
    }

    /// Checks the record at `offset` and returns its payload bytes inside the map.
    func payloadBytes(atOffset offset: UInt64, recordNumber: Int?, verifyingChecksums: Bool) throws(TFRecordError) -> UnsafeRawBufferPointer {
        let bytes = region.bytes
        try checkNotTruncated(recordNumber: recordNumber)
        guard offset < UInt64(bytes.count), let base = bytes.baseAddress else {
            throw TFRecordError(.invalidArgument, "offset \(offset) is past the end of the file (\(bytes.count) bytes)",
                                path: path, recordNumber: recordNumber, offset: offset)
        }
        let result = csupport_scan_records(base, bytes.count, Int(offset), verifyingChecksums ? 1 : 0, nil, 1)
        if result.records == 1 {
            return MappedFile.payload(ofCheckedRecordAt: base + Int(offset))
        }
        throw ScanFailure.error(for: result, recordNumber: recordNumber,
                                remaining: UInt64(bytes.count) - offset, path: path,
                                head: bytes)
            ?? TFRecordError(.invalidArgument, "no record at offset \(offset)", path: path, offset: offset)
    }
}
