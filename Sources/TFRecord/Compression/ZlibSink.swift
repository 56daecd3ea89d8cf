import CSupport

/// Compresses into a GZIP or ZLIB stream exactly as TensorFlow's `ZlibOutputBuffer` does: an
/// input buffer that collects appends until one does not fit, then `deflate` with the flush mode
/// over the whole buffer (an append larger than the buffer is deflated in place), compressed
/// output collected in an output buffer and written when full, `Z_PARTIAL_FLUSH` on `flush()`,
/// `Z_FINISH` at `finish()`. One stream per file.
final class ZlibSink: RecordPiecesSink {
    private let file: ByteOutput
    private let z: ZStream
    private let options: ZlibOptions
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false

    /// - Throws: `TFRecordError.invalidArgument` for parameters zlib or TensorFlow refuse.
    init(file: ByteOutput, compression: Compression, options: ZlibOptions) throws(TFRecordError) {
        guard options.outputBufferSize > 1 else {
            throw TFRecordError(.invalidArgument, "output buffer size must be greater than 1 (TensorFlow: 'output_buffer_bytes should be greater than 1')", path: file.path)
        }
        guard options.inputBufferSize > 0 else {
            throw TFRecordError(.invalidArgument, "input buffer size must be positive", path: file.path)
        }
        self.file = file
        self.options = options
        do {
            z = try ZStream(deflateLevel: Int32(clamping: options.compressionLevel),
                            windowBits: Int32(clamping: options.effectiveWindowBits(for: compression)),
                            memLevel: Int32(clamping: options.memLevel), strategy: options.strategy.rawValue)
        } catch {
            throw error.inFile(file.path)
        }
        input = .allocate(byteCount: options.inputBufferSize, alignment: 16)
        output = .allocate(byteCount: options.outputBufferSize, alignment: 16)
        z.setInput(input.baseAddress, count: 0)
        z.setOutput(output.baseAddress, count: output.count)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    private var inputSpace: Int { input.count - z.availableIn }

    /// Copies `bytes` behind the unread input, moving the unread input to the front when the
    /// tail has no room.
    private func addToInput(_ bytes: UnsafeRawBufferPointer) {
        let read = z.nextIn! - UnsafeRawPointer(input.baseAddress!)
        let unread = z.availableIn
        if bytes.count > input.count - (read + unread) {
            input.baseAddress!.copyMemory(from: z.nextIn!, byteCount: unread)
            z.setInput(input.baseAddress, count: unread)
        }
        (UnsafeMutableRawPointer(mutating: z.nextIn!) + unread).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        z.setInput(z.nextIn, count: unread + bytes.count)
    }

    func writeRecord(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, footer: UnsafeRawBufferPointer) throws(TFRecordError) {
        // TensorFlow's RecordWriter appends the three pieces one by one.
        try write(header)
        try write(payload)
        try write(footer)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        guard !finished else { throw TFRecordError(.invalidArgument, "write after finish", path: file.path) }
        if bytes.isEmpty { return }
        if bytes.count <= inputSpace {
            addToInput(bytes)
            return
        }
        try deflateBuffered(options.flushMode.rawValue)
        if bytes.count <= inputSpace {
            addToInput(bytes)
            return
        }
        z.setInput(bytes.baseAddress, count: bytes.count)
        repeat {
            if z.availableOut == 0 { try flushOutput() }
            try deflate(options.flushMode.rawValue)
        } while z.availableOut == 0
        z.setInput(input.baseAddress, count: 0)
    }

    /// Deflates all buffered input with `flush`, writing the output buffer whenever it fills.
    private func deflateBuffered(_ flush: Int32) throws(TFRecordError) {
        let syncOrFull = flush == Z_SYNC_FLUSH || flush == Z_FULL_FLUSH
        repeat {
            // zlib's manual: leave more than 6 bytes for a sync/full flush marker.
            if z.availableOut == 0 || (syncOrFull && z.availableOut < 6) { try flushOutput() }
            try deflate(flush)
        } while z.availableOut == 0
        z.setInput(input.baseAddress, count: 0)
    }

    private func deflate(_ flush: Int32) throws(TFRecordError) {
        let status = z.deflate(flush)
        if status == Z_OK || status == Z_BUF_ERROR || (status == Z_STREAM_END && flush == Z_FINISH) { return }
        var detail = "deflate() failed with error \(status)"
        if let message = z.message { detail += ": \(message)" }
        throw TFRecordError(.compression, detail, path: file.path)
    }

    private func flushOutput() throws(TFRecordError) {
        let count = output.count - z.availableOut
        guard count > 0 else { return }
        try file.write(UnsafeRawBufferPointer(rebasing: output[..<count]))
        z.setOutput(output.baseAddress, count: output.count)
    }

    func flush() throws(TFRecordError) {
        guard !finished else { return }
        try deflateBuffered(Z_PARTIAL_FLUSH)
        try flushOutput()
    }

    func finish() throws(TFRecordError) {
        guard !finished else { return }
        finished = true
        try deflateBuffered(Z_FINISH)
        try flushOutput()
    }
}
