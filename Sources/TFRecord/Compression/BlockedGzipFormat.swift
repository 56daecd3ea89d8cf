/// The member layout of a blocked GZIP file: a series of independent gzip members (RFC 1952),
/// each holding whole records, so the file is one ordinary GZIP TFRecord file to TensorFlow and
/// to `gzip -d`, yet can be decompressed in parallel and entered at any member.
///
/// Each member carries, as BGZF (htslib) does, an `FEXTRA` subfield that gives its own size, so
/// the next member is found without inflating this one:
///
///     1f 8b 08 04 | mtime 0 (4) | xfl 0 | os 3 | xlen 12 (u16 LE)
///     'T' 'R' | len 8 (u16 LE) | member size in bytes, header to trailer (u64 LE)
///     raw deflate data | CRC-32 (u32 LE) | uncompressed size mod 2^32 (u32 LE)
enum BlockedGzipFormat {
    /// Bytes before the deflate data.
    static let headerSize = 24
    /// Bytes after the deflate data (CRC-32 and ISIZE).
    static let trailerSize = 8
    /// The subfield identifier, `TR` (TFRecord).
    static let subfieldID: (UInt8, UInt8) = (0x54, 0x52)

    /// Writes the 24-byte header of a member of `memberSize` bytes at `out`.
    static func writeHeader(_ out: UnsafeMutableRawPointer, memberSize: UInt64) {
        let fixed: [UInt8] = [0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 12, 0, subfieldID.0, subfieldID.1, 8, 0]
        fixed.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: 16) }
        out.storeBytes(of: memberSize.littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// Writes the 8-byte trailer at `out`.
    static func writeTrailer(_ out: UnsafeMutableRawPointer, crc: UInt32, uncompressedSize: Int) {
        out.storeBytes(of: crc.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: UInt32(truncatingIfNeeded: uncompressedSize).littleEndian, toByteOffset: 4, as: UInt32.self)
    }

    /// The member size a blocked-member header states, or nil when `header` (at least 24 bytes)
    /// is not such a header.
    static func memberSize(header: UnsafeRawBufferPointer) -> UInt64? {
        guard header.count >= headerSize, header[0] == 0x1f, header[1] == 0x8b, header[2] == 8,
              header[3] == 4, header[10] == 12, header[11] == 0,
              header[12] == subfieldID.0, header[13] == subfieldID.1, header[14] == 8, header[15] == 0
        else { return nil }
        let size = UInt64(littleEndian: header.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        return size >= UInt64(headerSize + trailerSize) ? size : nil
    }
}
