import CSupport
/// Writes a TFRecord file byte for byte as TensorFlow's `TFRecordWriter` does.
///
/// Each record is framed as a u64 little-endian length, the masked CRC32C of those 8 bytes, the
/// payload and the masked CRC32C of the payload. Writes are buffered. With `atomic` (the default)
/// the file appears under its name only at `close()`; a writer dropped without `close()` closes
/// itself, so the records written so far still form a valid file.
///
/// A writer is used by one thread at a time.
public final class RecordWriter {
    /// The final path of the file.
    public let path: String
    /// The path bytes go to until `close()` (equal to `path` when not atomic).
    let writingPath: String
    private let options: WriteOptions
    /// The open file; nil once closed or abandoned.
    private var descriptor: FileDescriptor?
    private var file: FileSink
    private var sink: RecordSink
    /// The sink when it wants records in pieces (compressors that mirror TensorFlow's buffering).
    private let piecesSink: RecordPiecesSink?
    /// Framed records waiting to be written: `buffer[0..<buffered]`.
    private let buffer: UnsafeMutableRawBufferPointer
    // The counters below are touched on every write. A writer is used by one thread at a time
    // and never hands out references to them, so the run-time exclusivity checks (a large
    // share of a 100-byte write) are switched off for them.
    @exclusivity(unchecked) private var buffered = 0
    private var closed = false { didSet { updateFastPath() } }
    /// The first write failure: the file is incomplete, so `close()` discards it.
    private var failure: TFRecordError? { didSet { updateFastPath() } }
    /// Whether the fast path may frame into the buffer: open, no failure, and a sink that takes
    /// whole framed records.
    @exclusivity(unchecked) private var acceptsFastWrites = false
    /// Records written so far.
    @exclusivity(unchecked) public private(set) var recordCount = 0
    /// Uncompressed bytes written so far (the offset of the next record's header).
    @exclusivity(unchecked) public private(set) var uncompressedOffset: UInt64 = 0

    /// Creates (or replaces) the file at `path`.
    ///
    /// An atomic writer (the default) writes a new hidden file beside `path` (a random name
    /// created with `O_EXCL|O_NOFOLLOW`: a link planted there is never followed) and renames it
    /// over `path` at `close()`. Either way only a regular file (or nothing) at `path` is
    /// replaced.
    /// - Throws: `TFRecordError.invalidArgument` when `path` is a device, a FIFO, a socket or a
    ///   directory; `.io` when the file cannot be created.
    public convenience init(path: String, options: WriteOptions = WriteOptions()) throws(TFRecordError) {
        try SystemCalls.checkReplaceable(path)
        if options.atomic {
            let file = try TemporaryFile(beside: path)
            let writingPath = file.path
            try self.init(descriptor: file.descriptor, path: path, writingPath: writingPath, options: options)
        } else {
            let descriptor = try FileDescriptor(opening: path, .createOrTruncate)
            let kind = try SystemCalls.status(descriptor.raw, path: path).kind
            if kind != .regular {
                throw TFRecordError(.invalidArgument, "is a \(kind.rawValue), not a regular file: refusing to write over it", path: path)
            }
            try self.init(descriptor: descriptor, path: path, writingPath: path, options: options)
        }
    }

    /// A writer into an already open, new file at `writingPath`, which becomes `path` at
    /// `close()` when `options.atomic` (and is removed if the writer fails). `ShardWriter` gives
    /// its staging files this way.
    /// - Throws: `TFRecordError` when the compressor cannot be set up.
    package init(descriptor: consuming FileDescriptor, path: String, writingPath: String,
                 options: WriteOptions) throws(TFRecordError) {
        self.path = path
        self.options = options
        self.writingPath = writingPath
        file = FileSink(fd: descriptor.raw, path: writingPath)
        do throws(TFRecordError) {
            sink = try makeCompressingSink(into: file, options: options)
        } catch {
            if writingPath != path { SystemCalls.remove(writingPath) }
            throw error
        }
        self.descriptor = Optional(descriptor)
        piecesSink = sink as? RecordPiecesSink
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(options.bufferSize, 64), alignment: 16)
        updateFastPath()
    }

    private func updateFastPath() {
        acceptsFastWrites = !closed && failure == nil && piecesSink == nil
    }

    /// Appends one record.
    /// - Throws: `TFRecordError.io` when the file cannot be written, `.invalidArgument` after
    ///   `close()`.
    public func write(_ payload: RawSpan) throws(TFRecordError) {
        if payload.withUnsafeBytes({ frameIntoBuffer($0) }) { return }
        if let failure = payload.withUnsafeBytes({ writeReturningFailure($0) }) { throw failure }
    }

    /// Appends one record.
    /// - Throws: `TFRecordError.io` when the file cannot be written, `.invalidArgument` after
    ///   `close()`.
    public func write(_ payload: [UInt8]) throws(TFRecordError) {
        if payload.withUnsafeBytes({ frameIntoBuffer($0) }) { return }
        if let failure = payload.withUnsafeBytes({ writeReturningFailure($0) }) { throw failure }
    }

    /// `write(_:)` for the closures of `withUnsafeBytes`, which cannot throw a typed error.
    private func writeReturningFailure(_ bytes: UnsafeRawBufferPointer) -> TFRecordError? {
        do throws(TFRecordError) {
            try write(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The fast path of every write: frames the record straight into the buffer when it fits,
    /// the writer is open and its sink takes framed bytes (uncompressed and LZ4 files; GZIP and
    /// ZLIB sinks take records in pieces). Returns false, having done nothing, otherwise.
    @inline(__always)
    private func frameIntoBuffer(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let framed = bytes.count &+ 16
        guard acceptsFastWrites, buffered &+ framed <= buffer.count else { return false }
        buffered &+= csupport_frame_record_fast(buffer.baseAddress.unsafelyUnwrapped + buffered, bytes.baseAddress, bytes.count)
        recordCount &+= 1
        uncompressedOffset &+= UInt64(framed)
        return true
    }

    func write(_ payload: UnsafeRawBufferPointer) throws(TFRecordError) {
        guard !closed else {
            throw TFRecordError(.invalidArgument, "write after close", path: path, recordNumber: recordCount)
        }
        if let failure { throw failure }
        do throws(TFRecordError) {
            try append(payload)
        } catch {
            failure = error
            throw error
        }
    }

    private func append(_ payload: UnsafeRawBufferPointer) throws(TFRecordError) {
        let overhead = Int(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
        let framed = overhead + payload.count
        if let pieces = piecesSink {
            // The compressor buffers; it gets the three pieces as TensorFlow's writer appends them.
            var header = (UInt64(0), UInt32(0))
            var footer = UInt32(littleEndian: csupport_crc32c_mask(csupport_crc32c_extend(0, payload.baseAddress, payload.count)))
            // The standard library's withUnsafe*Bytes are untyped: the error comes out in a Result.
            let written = withUnsafeMutableBytes(of: &header) { h in
                csupport_write_header(h.baseAddress, UInt64(payload.count))
                return withUnsafeBytes(of: &footer) { f in
                    Result { () throws(TFRecordError) in
                        try pieces.writeRecord(header: UnsafeRawBufferPointer(rebasing: h[0..<Int(CSUPPORT_TFRECORD_HEADER_SIZE)]),
                                               payload: payload, footer: f)
                    }
                }
            }
            try written.get()
            recordCount += 1
            uncompressedOffset += UInt64(framed)
            return
        }
        if buffered + framed > buffer.count {
            try drain()
        }
        if framed <= buffer.count {
            buffered += csupport_frame_record_fast(buffer.baseAddress! + buffered, payload.baseAddress, payload.count)
        } else {
            // Larger than the buffer: header, payload and footer go straight to the sink.
            csupport_write_header(buffer.baseAddress!, UInt64(payload.count))
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(CSUPPORT_TFRECORD_HEADER_SIZE)]))
            try sink.write(payload)
            var footer = UInt32(littleEndian: csupport_crc32c_mask(csupport_crc32c_extend(0, payload.baseAddress, payload.count)))
            try withUnsafeBytes(of: &footer) { bytes throws(TFRecordError) in try sink.write(bytes) }
        }
        recordCount += 1
        uncompressedOffset += UInt64(framed)
    }

    private func drain() throws(TFRecordError) {
        guard buffered > 0 else { return }
        let count = buffered
        buffered = 0
        try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// Pushes buffered records to the operating system (for an atomic writer, into the
    /// temporary file; they appear under `path` at `close()`).
    /// - Throws: `TFRecordError.io`.
    public func flush() throws(TFRecordError) {
        guard !closed else { return }
        if let failure { throw failure }
        do throws(TFRecordError) {
            try drain()
            try sink.flush()
        } catch {
            failure = error
            throw error
        }
    }

    /// Finishes the file: writes buffered records and any compression trailer, optionally
    /// `fsync`s, closes, and (when atomic) renames it into place. Calling it again does nothing.
    /// - Throws: `TFRecordError.io` (also for an earlier failed write: the file is incomplete);
    ///   an atomic writer then removes its temporary file and leaves whatever was at `path`
    ///   before untouched.
    public func close() throws(TFRecordError) {
        guard !closed else { return }
        if let failure {
            abandon()
            throw failure
        }
        closed = true
        do throws(TFRecordError) {
            try drain()
            try sink.finish()
            if options.sync { try SystemCalls.fsync(file.fd, path: writingPath) }
            if let descriptor = descriptor.take() { try descriptor.close(path: writingPath) }
            if options.atomic {
                try SystemCalls.checkReplaceable(path)  // again: it may have changed since init
                try SystemCalls.rename(writingPath, to: path)
            }
        } catch {
            sink.waitForPendingWrites()
            descriptor = nil
            if options.atomic { SystemCalls.remove(writingPath) }
            throw error
        }
    }

    /// Discards the file: an atomic writer removes its temporary file and leaves `path` as it
    /// was; a non-atomic writer closes what it wrote.
    public func abandon() {
        guard !closed else { return }
        closed = true
        sink.waitForPendingWrites()  // never close the descriptor under a background write
        descriptor = nil
        if options.atomic { SystemCalls.remove(writingPath) }
    }

    deinit {
        try? close()
        buffer.deallocate()
    }
}
