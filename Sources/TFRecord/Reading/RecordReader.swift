import CSupport
/// Reads the records of one TFRecord file front to back, whatever its compression.
///
/// Uncompressed files are read through a memory map (payloads are views into it); compressed
/// files are decompressed in bounded pieces. Records before any damage are delivered, then the
/// damage is thrown as a `TFRecordError` naming the file, record number and offset.
///
/// A reader is used by one thread at a time; open one per thread.
public final class RecordReader {
    /// The file's path (or the stored object's name).
    public let path: String
    /// The compression being read (detected when the options did not say).
    public let compression: Compression
    private let verifyingChecksums: Bool
    private let skipCorrupt: Bool
    /// Recovery mode (`ReadOptions.skipCorrupt`): called with each skipped byte range.
    public var onSkip: ((SkippedRange) throws -> Void)?
    /// Recovery mode: every byte range skipped so far.
    public private(set) var skippedRanges: [SkippedRange] = []
    private enum Input {
        case mapped(MappedFile)
        case stream(StreamFramer)
    }
    private let input: Input
    /// Offset of the next record in the mapped file.
    private var position: UInt64 = 0
    /// The number of the next record to be read (records delivered so far).
    public private(set) var recordNumber = 0

    /// Opens `path`.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - options: compression (detected when nil), checksums, memory map.
    /// - Throws: `TFRecordError.io` when the file cannot be opened or read.
    public init(path: String, options: ReadOptions = ReadOptions()) throws(TFRecordError) {
        self.path = path
        verifyingChecksums = options.verifyingChecksums
        skipCorrupt = options.skipCorrupt
        let fd = try FileDescriptor(opening: path, .read)
        let status = try SystemCalls.status(fd.raw, path: path)
        if status.isDirectory {
            throw TFRecordError(.io, "is a directory", path: path, errno: SystemCalls.Code.isDirectory)
        }
        if !status.isRegular {
            // A pipe, FIFO or device (`/dev/stdin` from `gsutil cat … |`): no map, no seeking.
            // The first bytes, read to detect the compression, are handed to the stream.
            var prefix = [UInt8](repeating: 0, count: 16)
            var n = 0
            var failure: TFRecordError?
            let raw = fd.raw
            prefix.withUnsafeMutableBytes { b in
                do throws(TFRecordError) { n = try SystemCalls.readFully(raw, b, path: path) } catch { failure = error }
            }
            if let failure { throw failure }
            prefix.removeSubrange(n...)
            compression = options.compression ?? Compression.detect(prefix: prefix)
            let source = try makeDecompressingSource(compression, fd: fd, path: path, options: options, consumed: prefix)
            input = .stream(StreamFramer(source: source, path: path, chunkSize: options.bufferSize,
                                         decompressed: compression != .none, maxRecordSize: options.maxRecordSize))
            return
        }
        let compression: Compression
        if let given = options.compression {
            compression = given
        } else {
            compression = Compression.detect(prefix: try RecordReader.readPrefix(fd: fd.raw, path: path))
        }
        self.compression = compression
        if compression == .none && options.useMemoryMap {
            _ = consume fd
            input = .mapped(try MappedFile(path: path, access: .sequential))
        } else {
            let source = try makeDecompressingSource(compression, fd: fd, path: path, options: options)
            input = .stream(StreamFramer(source: source, path: path, chunkSize: options.bufferSize,
                                         decompressed: compression != .none, maxRecordSize: options.maxRecordSize))
        }
    }

    /// Reads a `StoredObject` (an object in S3, on an HTTP server) front to back, whatever its
    /// compression, through the same decompressors and record framer as a local file: every CRC
    /// is checked and damage is reported as for a file, naming `object.name`. The object's
    /// chunks are fetched as it says (a remote object fetches ahead of the reader, in bounded
    /// memory).
    /// - Parameters:
    ///   - object: the object to read.
    ///   - options: compression (detected from the first 16 bytes when nil), checksums, limits;
    ///     `useMemoryMap` does not apply.
    /// - Throws: `TFRecordError.io` when the object's first bytes cannot be read.
    /// - Complexity: one read of 16 bytes to detect the compression, then the object's chunks.
    public convenience init(object: any StoredObject, options: ReadOptions = ReadOptions()) throws(TFRecordError) {
        let input = ObjectInput(object: object)
        let compression: Compression
        if let given = options.compression {
            compression = given
        } else {
            compression = Compression.detect(prefix: try RecordReader.readPrefix(input))
        }
        let source = try makeDecompressingSource(compression, input: input, options: options)
        self.init(name: object.name, compression: compression, options: options,
                  framer: StreamFramer(source: source, path: object.name, chunkSize: options.bufferSize,
                                       decompressed: compression != .none, maxRecordSize: options.maxRecordSize))
    }

    private init(name: String, compression: Compression, options: ReadOptions, framer: StreamFramer) {
        path = name
        self.compression = compression
        verifyingChecksums = options.verifyingChecksums
        skipCorrupt = options.skipCorrupt
        input = .stream(framer)
    }

    /// The first 16 bytes of `input` (fewer when it is shorter), for compression detection.
    static func readPrefix(_ input: any ByteInput) throws(TFRecordError) -> [UInt8] {
        var prefix = [UInt8](repeating: 0, count: 16)
        let n = try prefix.withMutableBytes { (buffer) throws(TFRecordError) in
            try input.read(into: buffer, at: 0)
        }
        return Array(prefix[..<n])
    }

    /// The first 16 bytes of the file (fewer when it is shorter), for compression detection.
    static func readPrefix(fd: Int32, path: String) throws(TFRecordError) -> [UInt8] {
        var prefix = [UInt8](repeating: 0, count: 16)
        let n = try prefix.withMutableBytes { (buffer) throws(TFRecordError) in
            try SystemCalls.pread(fd, buffer, at: 0, path: path)
        }
        return Array(prefix[..<n])
    }

    /// Calls `body` with the next record's payload, valid only during the call.
    /// - Returns: what `body` returns, or nil after the last record.
    /// - Throws: `TFRecordError` for damage, or what `body` throws.
    public func next<R>(_ body: (RawSpan) throws -> R) throws -> R? {
        switch input {
        case .mapped(let file):
            while true {
                guard position < UInt64(file.byteCount) else { return nil }
                let payload: UnsafeRawBufferPointer
                do {
                    payload = try file.payloadBytes(atOffset: position, recordNumber: recordNumber,
                                                    verifyingChecksums: verifyingChecksums)
                } catch {
                    guard skipCorrupt, let base = file.region.bytes.baseAddress else { throw error }
                    let resume = csupport_find_next_record(base, file.byteCount, Int(position) + 1)
                    try report(SkippedRange(range: position..<resume, nextRecordNumber: recordNumber, error: error))
                    position = resume
                    continue
                }
                position += UInt64(payload.count) + UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
                recordNumber += 1
                return try body(RawSpan(_unsafeBytes: payload))
            }
        case .stream(let framer):
            if skipCorrupt && framer.onSkip == nil {
                framer.onSkip = { [unowned self] range in try self.report(range) }
            }
            let result = try framer.next(verifyingChecksums: verifyingChecksums, body)
            recordNumber = framer.recordNumber
            return result
        }
    }

    /// A copy of the next record's payload, or nil after the last record.
    /// - Throws: `TFRecordError` for damage, or what `onSkip` throws in recovery mode.
    public func next() throws -> [UInt8]? {
        try next { span in span.withUnsafeBytes { [UInt8]($0) } }
    }

    /// Calls `body` with every remaining record's number and payload, in order.
    /// - Throws: `TFRecordError` for damage (after delivering every record before it), or what
    ///   `body` throws.
    public func forEachRecord(_ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        if case .mapped(let file) = input, position == 0 {
            var delivered = 0
            defer {
                recordNumber = delivered
                position = UInt64(file.byteCount)
            }
            let deliver = { (number: Int, payload: RawSpan) throws -> Void in
                try body(number, payload)
                delivered = number + 1
            }
            if skipCorrupt {
                try file.forEachRecord(verifyingChecksums: verifyingChecksums, skippingCorrupt: { try self.report($0) }, deliver)
            } else {
                try file.forEachRecord(verifyingChecksums: verifyingChecksums, deliver)
            }
            return
        }
        while true {
            let number = recordNumber
            let more: Void? = try next { payload in try body(number, payload) }
            if more == nil { return }
        }
    }

    /// Calls `body` with every remaining record's number and payload size, in order, without
    /// delivering the payloads: what `count` and `verify` need. Every length CRC is checked, and
    /// every payload CRC when `ReadOptions.verifyingChecksums` is set; a compressed record bigger
    /// than the read buffer is checked as it streams past, so memory stays at
    /// `ReadOptions.bufferSize` whatever a header claims, and `ReadOptions.maxRecordSize` (a cap
    /// on delivering) does not apply. A header claiming more than the stream holds is
    /// `.truncated` at that record's offset once the stream ends.
    /// - Throws: `TFRecordError` for damage (after reporting every record before it), or what
    ///   `body` throws.
    /// - Complexity: O(bytes read) time; O(`bufferSize`) memory for a compressed file (up to
    ///   `maxRecordSize` while resynchronising in recovery mode), none but the map for a plain one.
    public func forEachRecordSize(_ body: (_ recordNumber: Int, _ payloadSize: UInt64) throws -> Void) throws {
        guard case .stream(let framer) = input else {
            try forEachRecord { number, payload in try body(number, UInt64(payload.byteCount)) }
            return
        }
        if skipCorrupt && framer.onSkip == nil {
            framer.onSkip = { [unowned self] range in try self.report(range) }
        }
        while true {
            let number = framer.recordNumber
            guard let size = try framer.skipNext(verifyingChecksums: verifyingChecksums) else {
                recordNumber = framer.recordNumber
                return
            }
            recordNumber = framer.recordNumber
            try body(number, size)
        }
    }

    /// Records a skipped range and passes it to `onSkip`.
    private func report(_ range: SkippedRange) throws {
        skippedRanges.append(range)
        try onSkip?(range)
    }

    /// Copies every remaining payload.
    /// - Throws: `TFRecordError` for damage, or what `onSkip` throws in recovery mode.
    public func allRecords() throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        while let record = try next() { records.append(record) }
        return records
    }
}
