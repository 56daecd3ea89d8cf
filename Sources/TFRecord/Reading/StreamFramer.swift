import CSupport

/// Cuts a `ByteSource`'s bytes into TFRecord records, using the C scanner over a buffer that
/// grows only as far as the data actually goes (a forged 2^40 length cannot make it allocate
/// more than the stream holds).
final class StreamFramer {
    private let source: ByteSource
    private let path: String?
    /// Whether `source` decompresses (so the stream is not the file's own bytes).
    private let decompressed: Bool
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// Uncompressed offset of `buffer[start]`.
    private(set) var streamOffset: UInt64 = 0
    /// Number of records returned so far.
    private(set) var recordNumber = 0
    /// Recovery mode: receives skipped ranges instead of a thrown error; nil in strict mode.
    var onSkip: ((SkippedRange) throws -> Void)?
    /// The largest payload buffered (`ReadOptions.maxRecordSize`).
    let maxRecordSize: UInt64

    /// - Parameters:
    ///   - chunkSize: bytes read from the source at a time.
    ///   - decompressed: whether `source` decompresses the file (for the error message of a
    ///     stream that is not TFRecord).
    ///   - maxRecordSize: the largest payload buffered (`ReadOptions.maxRecordSize`).
    init(source: ByteSource, path: String?, chunkSize: Int = 256 << 10, decompressed: Bool = false,
         maxRecordSize: Int = ReadOptions.defaultMaxRecordSize) {
        self.source = source
        self.path = path
        self.decompressed = decompressed
        self.maxRecordSize = UInt64(max(0, maxRecordSize))
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 64), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` with the next record's payload (valid only during the call).
    /// - Returns: what `body` returned, or nil at the clean end of the stream.
    /// - Throws: `TFRecordError` for damage or a source failure, or what `body` throws.
    func next<R>(verifyingChecksums: Bool, _ body: (RawSpan) throws -> R) throws -> R? {
        while true {
            let available = end - start
            if available == 0 && atEnd { return nil }
            let result = csupport_scan_records(buffer.baseAddress! + start, available, 0,
                                               verifyingChecksums ? 1 : 0, nil, 1)
            if result.records == 1 {
                let payload = MappedFile.payload(ofCheckedRecordAt: buffer.baseAddress! + start)
                let consumed = Int(result.position)
                start += consumed
                streamOffset += UInt64(consumed)
                recordNumber += 1
                return try body(RawSpan(_unsafeBytes: payload))
            }
            let status = csupport_scan_status(UInt32(result.status))
            if status == CSUPPORT_SCAN_TRUNCATED_RECORD && result.length > maxRecordSize {
                // Refused before buffering any of it.
                var error = TFRecordError(.corrupted, "record size too large: the record claims \(result.length) payload bytes, more than the \(maxRecordSize)-byte limit (ReadOptions.maxRecordSize, --max-record-size); raise it to read such records",
                                          path: path, recordNumber: recordNumber, offset: streamOffset)
                error.compressedOffset = source.compressedOffset
                guard let onSkip else { throw error }
                try skipDamage(error, onSkip)
                continue
            }
            let needsMore = status == CSUPPORT_SCAN_TRUNCATED_HEADER
                || (status == CSUPPORT_SCAN_TRUNCATED_RECORD
                    && result.length <= UInt64.max - UInt64(CSUPPORT_TFRECORD_FOOTER_SIZE))
                || (status == CSUPPORT_SCAN_OK && available == 0)
            if needsMore && !atEnd {
                try fill()
                continue
            }
            var error = ScanFailure.error(for: result, recordNumber: recordNumber, base: streamOffset,
                                          remaining: UInt64(available), path: path,
                                          head: UnsafeRawBufferPointer(rebasing: buffer[start..<end]),
                                          decompressed: decompressed)
                ?? TFRecordError(.corrupted, "unexpected scanner state", path: path, offset: streamOffset)
            error.compressedOffset = source.compressedOffset
            guard let onSkip else { throw error }
            try skipDamage(error, onSkip)
        }
    }

    /// Steps over the next record without buffering its payload: a record bigger than the
    /// buffer is checked as it streams past (its payload CRC computed piece by piece with
    /// `CRC32C.extend`), so memory stays at the read chunk whatever the record claims, and
    /// `maxRecordSize` does not apply (nothing is delivered). Smaller records go through `next`.
    /// - Returns: the record's payload size, or nil at the clean end of the stream.
    /// - Throws: `TFRecordError` for damage (`.truncated` at the record's header offset when the
    ///   stream ends inside it, `.corrupted` for a checksum mismatch) or a source failure.
    /// - Complexity: O(payload) time, O(chunk) memory (O(`maxRecordSize`) while resynchronising
    ///   in recovery mode).
    func skipNext(verifyingChecksums: Bool) throws -> UInt64? {
        let headerSize = Int(CSUPPORT_TFRECORD_HEADER_SIZE)
        let footerSize = Int(CSUPPORT_TFRECORD_FOOTER_SIZE)
        while true {
            if end - start < headerSize && !atEnd {
                try fill()
                continue
            }
            if end - start >= headerSize {
                let base = buffer.baseAddress! + start
                let length = base.loadUnaligned(as: UInt64.self).littleEndian
                let storedLengthCRC = (base + 8).loadUnaligned(as: UInt32.self).littleEndian
                let headerIntact = csupport_crc32c_mask(csupport_crc32c_extend(0, base, 8)) == storedLengthCRC
                if headerIntact && length <= UInt64.max - UInt64(headerSize + footerSize)
                    && length + UInt64(headerSize + footerSize) > UInt64(buffer.count) {
                    let recordStart = streamOffset
                    do {
                        return try streamPast(length: length, verifyingChecksums: verifyingChecksums)
                    } catch {
                        guard let onSkip else { throw error }
                        try onSkip(SkippedRange(range: recordStart..<streamOffset,
                                                nextRecordNumber: recordNumber, error: error))
                        continue
                    }
                }
            }
            // Fits in the buffer (or is damaged, or the stream ends): the ordinary path.
            return try next(verifyingChecksums: verifyingChecksums) { UInt64($0.byteCount) }
        }
    }

    /// Consumes the record at `start` (intact header claiming `length` bytes) piece by piece.
    private func streamPast(length: UInt64, verifyingChecksums: Bool) throws(TFRecordError) -> UInt64 {
        let headerSize = Int(CSUPPORT_TFRECORD_HEADER_SIZE)
        let footerSize = Int(CSUPPORT_TFRECORD_FOOTER_SIZE)
        let headerOffset = streamOffset
        let number = recordNumber
        skip(to: start + headerSize)
        var remaining = length
        var crc: UInt32 = 0
        while remaining > 0 {
            if start == end {
                guard try refill(recordNumber: number, headerOffset: headerOffset) else {
                    throw truncated(length: length, number: number, headerOffset: headerOffset)
                }
            }
            let take = Int(min(remaining, UInt64(end - start)))
            if verifyingChecksums { crc = csupport_crc32c_extend(crc, buffer.baseAddress! + start, take) }
            skip(to: start + take)
            remaining -= UInt64(take)
        }
        while end - start < footerSize {
            guard try refill(recordNumber: number, headerOffset: headerOffset) else {
                throw truncated(length: length, number: number, headerOffset: headerOffset)
            }
        }
        let stored = (buffer.baseAddress! + start).loadUnaligned(as: UInt32.self).littleEndian
        skip(to: start + footerSize)
        if verifyingChecksums && csupport_crc32c_mask(crc) != stored {
            var error = TFRecordError(.corrupted, "payload checksum mismatch (\(length) bytes)", path: path,
                                      recordNumber: number, offset: headerOffset + UInt64(headerSize))
            error.compressedOffset = source.compressedOffset
            throw error
        }
        recordNumber += 1
        return length
    }

    /// Reads more for `streamPast`; false at the end of the stream. A source error names the
    /// record, and a cut stream its header offset.
    private func refill(recordNumber number: Int, headerOffset: UInt64) throws(TFRecordError) -> Bool {
        if atEnd { return false }
        let before = end - start
        do {
            try fill()
        } catch {
            var annotated = error
            annotated.recordNumber = number
            if annotated.kind == .truncated { annotated.offset = headerOffset }
            throw annotated
        }
        return end - start > before
    }

    /// The error for a streamed record whose stream ends inside it.
    private func truncated(length: UInt64, number: Int, headerOffset: UInt64) -> TFRecordError {
        let read = streamOffset + UInt64(end - start) - headerOffset - UInt64(CSUPPORT_TFRECORD_HEADER_SIZE)
        var error = TFRecordError(.truncated, "the header claims \(length) payload bytes but the stream ends \(read) byte(s) after the header (with the 4-byte checksum): the file was cut, or the length is forged",
                                  path: path, recordNumber: number, offset: headerOffset)
        error.compressedOffset = source.compressedOffset
        return error
    }

    /// Recovery: drops bytes from `start` up to the next intact record (reading more as needed)
    /// and reports the skipped range.
    private func skipDamage(_ error: TFRecordError, _ onSkip: (SkippedRange) throws -> Void) throws {
        let damageStart = streamOffset
        var from = start + 1
        while true {
            if atEnd {
                // Nothing more will arrive: one search that steps over incomplete candidates
                // itself (near-linear; a search per candidate would redo its prefix CRCs).
                let position = Int(csupport_find_next_record(buffer.baseAddress!, end, from))
                skip(to: position)
                try onSkip(SkippedRange(range: damageStart..<streamOffset, nextRecordNumber: recordNumber, error: error))
                return
            }
            let found = csupport_resync_bounded(buffer.baseAddress!, end, from, maxRecordSize)
            let position = Int(found.position)
            if found.complete == 1 || (atEnd && position >= end) {
                skip(to: position)
                try onSkip(SkippedRange(range: damageStart..<streamOffset, nextRecordNumber: recordNumber, error: error))
                return
            }
            if atEnd {
                from = position + 1
                continue
            }
            // Keep what may still be a record; read more.
            let kept = max(start, position)
            skip(to: kept)
            try fill()
            from = start
        }
    }

    /// Advances `start` to `position` (a buffer index), counting the skipped bytes.
    private func skip(to position: Int) {
        streamOffset += UInt64(position - start)
        start = position
    }

    /// Reads more bytes from the source, compacting and growing the buffer as needed.
    private func fill() throws(TFRecordError) {
        if start > 0 {
            if end > start {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        } catch {
            // Name the record being read; a stream cut short is reported, as TensorFlow does,
            // at the header offset of the record it cuts ("truncated record at N").
            var annotated = error
            if annotated.recordNumber == nil { annotated.recordNumber = recordNumber }
            if annotated.kind == .truncated { annotated.offset = streamOffset }
            throw annotated.inFile(path ?? "")
        }
        if n == 0 { atEnd = true }
        end += n
    }
}
