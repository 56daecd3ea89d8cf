import CSupport

/// Compresses into one LZ4 frame (with a content checksum), readable by `lz4 -d` and by
/// `RecordReader`. This is this library's extension: TensorFlow cannot read LZ4 files.
final class LZ4FrameSink: RecordSink {
    private let file: ByteOutput
    private let lz4: LZ4CompressionContext
    private var preferences = LZ4F_preferences_t()
    private let output: UnsafeMutableRawBufferPointer
    /// Input bytes given to one `LZ4F_compressUpdate` call at most.
    private let piece = 64 << 10
    private var finished = false

    /// Writes the frame header.
    /// - Parameter level: LZ4 acceleration level (0 = default fast mode; >= 3 selects LZ4 HC).
    init(file: ByteOutput, level: Int32 = 0) throws(TFRecordError) {
        self.file = file
        do { lz4 = try LZ4CompressionContext() } catch { throw error.inFile(file.path) }
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockSizeID = LZ4F_max256KB
        preferences.compressionLevel = level
        let capacity = max(LZ4F_compressBound(piece, &preferences), Int(LZ4F_HEADER_SIZE_MAX))
        output = .allocate(byteCount: capacity, alignment: 16)
        let n = LZ4F_compressBegin(lz4.context, output.baseAddress, output.count, &preferences)
        try check(n, "LZ4F_compressBegin")
        try emit(n)
    }

    deinit { output.deallocate() }

    private func check(_ code: Int, _ function: String) throws(TFRecordError) {
        if csupport_lz4f_is_error(code) != 0 {
            throw TFRecordError(.compression, "\(function)() failed: \(String(cString: csupport_lz4f_error_name(code)))", path: file.path)
        }
    }

    private func emit(_ count: Int) throws(TFRecordError) {
        if count > 0 { try file.write(UnsafeRawBufferPointer(rebasing: output[..<count])) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        var offset = 0
        while offset < bytes.count {
            let count = min(piece, bytes.count - offset)
            let n = LZ4F_compressUpdate(lz4.context, output.baseAddress, output.count,
                                        bytes.baseAddress! + offset, count, nil)
            try check(n, "LZ4F_compressUpdate")
            try emit(n)
            offset += count
        }
    }

    func flush() throws(TFRecordError) {
        guard !finished else { return }
        let n = LZ4F_flush(lz4.context, output.baseAddress, output.count, nil)
        try check(n, "LZ4F_flush")
        try emit(n)
    }

    func finish() throws(TFRecordError) {
        guard !finished else { return }
        finished = true
        let n = LZ4F_compressEnd(lz4.context, output.baseAddress, output.count, nil)
        try check(n, "LZ4F_compressEnd")
        try emit(n)
    }
}
