import CSupport

/// Compresses one whole buffer into one complete, independent member: a blocked-GZIP member
/// (`BlockedGzipFormat`) or an LZ4 frame. One per worker; not shared between threads.
final class BlockCompressor {
    /// The engine that makes deflate data.
    enum Engine: Sendable {
        /// libdeflate: whole-buffer deflate, faster than zlib at the same level.
        case libdeflate
        /// zlib (the reference).
        case zlib
    }

    private let compression: Compression
    private let engine: Engine
    private let level: Int32
    private let memLevel: Int32
    private let strategy: Int32
    private var deflater: OpaquePointer?
    private var lz4Preferences = LZ4F_preferences_t()

    /// - Parameters:
    ///   - compression: `.gzip` or `.lz4`.
    ///   - level: zlib's level (-1 = 6) for GZIP; LZ4's for LZ4.
    init(compression: Compression, engine: Engine, level: Int, memLevel: Int = 9, strategy: Int32 = 0) throws(TFRecordError) {
        precondition(compression == .gzip || compression == .lz4)
        self.compression = compression
        self.engine = engine
        self.level = Int32(clamping: compression == .gzip && level < 0 ? 6 : level)
        self.memLevel = Int32(clamping: memLevel)
        self.strategy = strategy
        if compression == .gzip && engine == .libdeflate {
            guard let d = libdeflate_alloc_compressor(self.level) else {
                throw TFRecordError(.invalidArgument, "libdeflate cannot compress at level \(level)")
            }
            deflater = d
        }
        if compression == .lz4 {
            lz4Preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
            lz4Preferences.frameInfo.blockSizeID = LZ4F_max4MB
            lz4Preferences.compressionLevel = self.level
        }
    }

    deinit {
        if let deflater { libdeflate_free_compressor(deflater) }
    }

    /// The most bytes `compress` can produce for `count` input bytes.
    func bound(_ count: Int) -> Int {
        switch compression {
        case .lz4:
            var preferences = lz4Preferences
            preferences.frameInfo.contentSize = UInt64(count)
            return LZ4F_compressFrameBound(count, &preferences)
        default:
            let deflate: Int
            if let deflater {
                deflate = libdeflate_deflate_compress_bound(deflater, count)
            } else {
                // zlib's deflateBound for raw deflate, with room to spare.
                deflate = count + count / 1000 + (count >> 12) + (count >> 14) + (count >> 25) + 64
            }
            return BlockedGzipFormat.headerSize + deflate + BlockedGzipFormat.trailerSize
        }
    }

    /// Compresses `input` into `output` (at least `bound(input.count)` bytes).
    /// - Returns: the member's size.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if compression == .lz4 {
            var preferences = lz4Preferences
            preferences.frameInfo.contentSize = UInt64(input.count)
            let n = LZ4F_compressFrame(output.baseAddress, output.count, input.baseAddress, input.count, &preferences)
            if csupport_lz4f_is_error(n) != 0 {
                throw TFRecordError(.compression, "LZ4F_compressFrame() failed: \(String(cString: csupport_lz4f_error_name(n)))")
            }
            return n
        }
        let header = BlockedGzipFormat.headerSize
        let body = UnsafeMutableRawBufferPointer(rebasing: output[header..<(output.count - BlockedGzipFormat.trailerSize)])
        let deflated: Int
        let crc: UInt32
        if let deflater {
            deflated = libdeflate_deflate_compress(deflater, input.baseAddress, input.count, body.baseAddress, body.count)
            guard deflated > 0 || input.isEmpty else {
                throw TFRecordError(.compression, "libdeflate_deflate_compress() found no room")
            }
            crc = libdeflate_crc32(0, input.baseAddress, input.count)
        } else {
            let z = try ZStream(deflateLevel: level, windowBits: -15, memLevel: memLevel, strategy: strategy)
            z.setInput(input.baseAddress, count: input.count)
            z.setOutput(body.baseAddress, count: body.count)
            let status = z.deflate(Z_FINISH)
            guard status == Z_STREAM_END else {
                throw TFRecordError(.compression, "deflate() failed with error \(status)\(z.message.map { ": " + $0 } ?? "")")
            }
            deflated = body.count - z.availableOut
            crc = UInt32(truncatingIfNeeded: crc32_z(0, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count))
        }
        let size = header + deflated + BlockedGzipFormat.trailerSize
        BlockedGzipFormat.writeHeader(output.baseAddress!, memberSize: UInt64(size))
        BlockedGzipFormat.writeTrailer(output.baseAddress! + header + deflated, crc: crc, uncompressedSize: input.count)
        return size
    }
}
