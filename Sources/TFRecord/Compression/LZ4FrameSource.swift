import CSupport
/// Decompresses an LZ4-frame TFRecord file (this library's extension; TensorFlow cannot read it),
/// in bounded memory. Any number of concatenated frames is read; a file that ends inside a frame
/// is `.truncated`, damage is `.compression` with liblz4's message and both offsets.
final class LZ4FrameSource: ByteSource {
    /// The compressed bytes: a local file or a stored object.
    private let file: any ByteInput
    private let path: String
    private let lz4: LZ4DecompressionContext
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var fileBytesRead: UInt64 = 0
    private var atEndOfFile = false
    /// A frame has begun and not yet ended.
    private var inFrame = false
    private var framesEnded = 0
    private var uncompressedOffset: UInt64 = 0

    /// Reads the compressed bytes from `file` (a local file or a stored object).
    init(input file: any ByteInput, bufferSize: Int, consumed: [UInt8] = []) throws(TFRecordError) {
        self.file = file
        self.path = file.path
        do {
            lz4 = try LZ4DecompressionContext()
        } catch {
            throw error.inFile(path)
        }
        input = .allocate(byteCount: max(bufferSize, 64), alignment: 16)
        // Bytes already read from a stream (to detect its compression) are decoded first.
        consumed.withUnsafeBytes { if let b = $0.baseAddress { input.baseAddress!.copyMemory(from: b, byteCount: $0.count) } }
        inputEnd = consumed.count
        fileBytesRead = UInt64(consumed.count)
    }

    deinit {
        input.deallocate()
    }

    var compressedOffset: UInt64? { fileBytesRead - UInt64(inputEnd - inputStart) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        var produced = 0
        while produced < buffer.count {
            if inputStart == inputEnd && !atEndOfFile {
                let n = try file.read(into: input)
                fileBytesRead += UInt64(n)
                inputStart = 0
                inputEnd = n
                if n == 0 { atEndOfFile = true }
            }
            if inputStart == inputEnd && atEndOfFile {
                if inFrame && produced == 0 {
                    throw TFRecordError(.truncated,
                                        "the file ends inside LZ4 frame \(framesEnded + 1) after \(uncompressedOffset) uncompressed bytes; the file was cut",
                                        path: path, offset: uncompressedOffset, compressedOffset: compressedOffset)
                }
                break
            }
            var outSize = buffer.count - produced
            var inSize = inputEnd - inputStart
            let hint = LZ4F_decompress(lz4.context, buffer.baseAddress! + produced, &outSize,
                                       input.baseAddress! + inputStart, &inSize, nil)
            if csupport_lz4f_is_error(hint) != 0 {
                let name = String(cString: csupport_lz4f_error_name(hint))
                var detail = "LZ4F_decompress() failed: \(name)"
                if framesEnded == 0 && uncompressedOffset == 0 && produced == 0 && !inFrame {
                    // A failed read is the error to report (an `.io` naming the file), not "empty".
                    var prefix = [UInt8](repeating: 0, count: 16)
                    let file = self.file
                    let n = try prefix.withMutableBytes { (buffer) throws(TFRecordError) in
                        try file.read(into: buffer, at: 0)
                    }
                    let detected = Compression.detect(prefix: Array(prefix[..<n]))
                    if detected != .lz4 {
                        detail += "; the file was read as LZ4 but looks like \(detected == .none ? "an uncompressed TFRecord file" : "a \(detected.rawValue.uppercased()) file"); read it with compression \(detected) or let the reader detect it"
                    }
                } else if !inFrame && framesEnded > 0 {
                    detail += "; the bytes after LZ4 frame \(framesEnded) are not an LZ4 frame"
                }
                throw TFRecordError(.compression, detail, path: path, offset: uncompressedOffset + UInt64(produced),
                                    compressedOffset: compressedOffset.map { $0 + UInt64(inSize) })
            }
            inputStart += inSize
            produced += outSize
            uncompressedOffset += UInt64(outSize)
            if hint == 0 {
                if inFrame || inSize > 0 { framesEnded += 1 }
                inFrame = false
            } else {
                inFrame = true
            }
        }
        return produced
    }
}
