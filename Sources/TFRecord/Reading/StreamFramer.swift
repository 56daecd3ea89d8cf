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

    /// - Parameters:
    ///   - chunkSize: bytes read from the source at a time.
    ///   - decompressed: whether `source` decompresses the file (for the error message of a
    ///     stream that is not TFRecord).
    init(source: ByteSource, path: String?, chunkSize: Int = 256 << 10, decompressed: Bool = false) {
        self.source = source
        self.path = path
        self.decompressed = decompressed
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

    /// Recovery: drops bytes from `start` up to the next intact record (reading more as needed)
    /// and reports the skipped range.
    private func skipDamage(_ error: TFRecordError, _ onSkip: (SkippedRange) throws -> Void) throws {
        let damageStart = streamOffset
        var from = start + 1
        while true {
            let found = csupport_resync(buffer.baseAddress!, end, from)
            let position = Int(found.position)
            if found.complete == 1 || (atEnd && position >= end) {
                skip(to: position)
                try onSkip(SkippedRange(range: damageStart..<streamOffset, nextRecordNumber: recordNumber, error: error))
                return
            }
            if atEnd {
                // A candidate that can never complete: look past it.
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
