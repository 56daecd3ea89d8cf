import CSupport

/// How a TFRecord file is compressed.
///
/// `gzip` and `zlib` are TensorFlow's `compression_type="GZIP"` / `"ZLIB"`: one stream around the
/// whole record stream. `lz4` (LZ4 frame format) is this library's own extension, which
/// TensorFlow cannot read.
public enum Compression: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Plain TFRecord framing.
    case none
    /// A gzip stream (RFC 1952), possibly several concatenated members.
    case gzip
    /// A zlib stream (RFC 1950).
    case zlib
    /// An LZ4 frame (not readable by TensorFlow).
    case lz4

    /// The name users type: `none`, `gzip`, `zlib` or `lz4`.
    public var description: String { rawValue }

    /// Guesses the compression from the first bytes of a file.
    ///
    /// A prefix that starts with a TFRecord header whose length CRC checks is `none` (a chance of
    /// 2^-32 for compressed data). Otherwise gzip starts `1f 8b`, an LZ4 frame `04 22 4d 18`, and
    /// zlib has a CMF/FLG pair with method 8 whose 16-bit value is a multiple of 31. Anything
    /// else (including an empty file) is `none`.
    /// - Parameter prefix: the first bytes of the file (at least 12 for a certain answer).
    /// - Returns: the likely compression.
    public static func detect(prefix: [UInt8]) -> Compression {
        if prefix.count >= Int(CSUPPORT_TFRECORD_HEADER_SIZE) {
            var length: UInt64 = 0
            let valid = prefix.withUnsafeBytes { csupport_read_header($0.baseAddress, &length) }
            if valid != 0 { return .none }
        }
        if prefix.count >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b { return .gzip }
        if prefix.count >= 4 && prefix[0] == 0x04 && prefix[1] == 0x22 && prefix[2] == 0x4d && prefix[3] == 0x18 {
            return .lz4
        }
        if prefix.count >= 2 && (prefix[0] & 0x0f) == 8 && (prefix[0] >> 4) <= 7
            && (UInt16(prefix[0]) << 8 | UInt16(prefix[1])) % 31 == 0 {
            return .zlib
        }
        return .none
    }
}
