import CSupport
/// The fixed 64-byte header of a sidecar index file (`<shard>.tfindex`); the format is
/// documented in docs/INDEX_FORMAT.md. All integers are little-endian.
struct IndexHeader: Equatable {
    /// `TFRINDEX`.
    static let magic: [UInt8] = Array("TFRINDEX".utf8)
    /// The format version this library writes and reads.
    static let version: UInt16 = 1
    /// Bytes before the offsets array.
    static let size = 64
    /// Flag: every payload CRC was checked when the index was built.
    static let flagPayloadsVerified: UInt32 = 1 << 0
    /// Flag: optional sections (such as inflate checkpoints) follow the offsets array.
    static let flagSections: UInt32 = 1 << 1
    /// Section tag: `InflateCheckpoints.serialized()` of a GZIP/ZLIB shard.
    static let sectionInflateCheckpoints: UInt32 = 1
    /// Flags a version-1 reader understands; any other bit set makes it refuse the file.
    static let knownFlags: UInt32 = flagPayloadsVerified | flagSections

    var flags: UInt32
    var count: UInt64
    var shard: ShardIdentity
    var streamSize: UInt64
    var compression: Compression
    var offsetsChecksum: UInt32

    static func code(of compression: Compression) -> UInt8 {
        switch compression {
        case .none: return 0
        case .gzip: return 1
        case .zlib: return 2
        case .lz4: return 3
        }
    }

    static func compression(code: UInt8) -> Compression? {
        switch code {
        case 0: return Compression.none
        case 1: return .gzip
        case 2: return .zlib
        case 3: return .lz4
        default: return nil
        }
    }

    /// The 64 header bytes, checksum included.
    func encoded() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: IndexHeader.size)
        func put<T: FixedWidthInteger>(_ value: T, _ at: Int) {
            withUnsafeBytes(of: value.littleEndian) { raw in
                for (k, byte) in raw.enumerated() { out[at + k] = byte }
            }
        }
        out.replaceSubrange(0..<8, with: IndexHeader.magic)
        put(IndexHeader.version, 8)
        put(UInt16(IndexHeader.size), 10)
        put(flags, 12)
        put(count, 16)
        put(shard.size, 24)
        put(shard.modificationTime, 32)
        put(streamSize, 40)
        put(shard.fingerprint, 48)
        out[52] = IndexHeader.code(of: compression)
        put(offsetsChecksum, 56)
        let crc = out.withUnsafeBytes { csupport_crc32c_extend(0, $0.baseAddress, 60) }
        put(crc, 60)
        return out
    }

    /// Decodes and checks a header (magic, version, header checksum, flags, compression code).
    /// - Throws: `.corrupted` naming `path` when the bytes are not a valid version-1 header.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(TFRecordError) -> IndexHeader {
        func get<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
        }
        if let first = bytes.first, first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            throw TFRecordError(.corrupted, "not a TFRecord index: this looks like a text index (offset length per line); import it with RecordIndex.importText",
                                path: path, offset: 0)
        }
        guard bytes.count >= IndexHeader.size else {
            throw TFRecordError(.corrupted, "not a TFRecord index: \(bytes.count) byte(s), fewer than the 64-byte header; rebuild it with `tfrecord index`",
                                path: path, offset: 0)
        }
        guard Array(bytes[0..<8]) == IndexHeader.magic else {
            throw TFRecordError(.corrupted, "not a TFRecord index (bad magic); rebuild it with `tfrecord index`",
                                path: path, offset: 0)
        }
        let version = get(8, UInt16.self)
        guard version == IndexHeader.version, get(10, UInt16.self) == UInt16(IndexHeader.size) else {
            throw TFRecordError(.corrupted, "index format version \(version) is not supported (this library reads version \(IndexHeader.version)); rebuild it with `tfrecord index`",
                                path: path, offset: 8)
        }
        let crc = csupport_crc32c_extend(0, bytes.baseAddress, 60)
        guard crc == get(60, UInt32.self) else {
            throw TFRecordError(.corrupted, "index header checksum mismatch; delete the index or rebuild it with `tfrecord index`",
                                path: path, offset: 60)
        }
        let flags = get(12, UInt32.self)
        guard flags & ~IndexHeader.knownFlags == 0 else {
            throw TFRecordError(.corrupted, "index has unknown flags 0x\(String(flags, radix: 16)); rebuild it with `tfrecord index`",
                                path: path, offset: 12)
        }
        guard let compression = IndexHeader.compression(code: bytes[52]) else {
            throw TFRecordError(.corrupted, "index names unknown compression code \(bytes[52])", path: path, offset: 52)
        }
        let count = get(16, UInt64.self)
        guard count <= UInt64(Int.max / 16) else {
            throw TFRecordError(.corrupted, "index claims \(count) records", path: path, offset: 16)
        }
        return IndexHeader(flags: flags, count: count,
                           shard: ShardIdentity(size: get(24, UInt64.self), modificationTime: get(32, Int64.self),
                                                fingerprint: get(48, UInt32.self)),
                           streamSize: get(40, UInt64.self), compression: compression,
                           offsetsChecksum: get(56, UInt32.self))
    }

    /// Reads and checks only the header of the index file at `path` (one 64-byte `pread`).
    /// - Throws: `.io` when it cannot be read, `.corrupted` when it is not a valid header or the
    ///   file is shorter than the header says.
    static func read(path: String) throws(TFRecordError) -> IndexHeader {
        let descriptor = try FileDescriptor(opening: path, .readSideFile)
        let fd = descriptor.raw
        try IndexHeader.checkRegular(fd, path: path)
        let fileSize = try SystemCalls.size(fd, path: path)
        var raw = [UInt8](repeating: 0, count: IndexHeader.size)
        let n = try raw.withMutableBytes { (buffer) throws(TFRecordError) in
            try SystemCalls.pread(fd, buffer, at: 0, path: path)
        }
        let header = try withBytes(raw) { buffer throws(TFRecordError) in
            try decode(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: path)
        }
        try header.checkLength(fileSize, path: path)
        return header
    }

    /// Checks that a file of `fileSize` bytes holds the whole offsets array (and nothing else
    /// unless the sections flag is set).
    /// Checks that this header can describe a shard of `shardSize` bytes before anything it
    /// claims is read: every record takes at least 16 bytes of the stream; an uncompressed
    /// stream is the shard; a compressed one is no larger than the shard can expand to
    /// (deflate: 1032:1, LZ4: 255:1). So a forged count cannot make a reader checksum or map a
    /// terabyte of sparse sidecar.
    /// - Throws: `.corrupted` naming the index file.
    func checkPlausible(shardSize: UInt64, path: String) throws(TFRecordError) {
        let ratio: UInt64 = compression == .none ? 1 : (compression == .lz4 ? 256 : 1032)
        let (most, overflow) = shardSize.multipliedReportingOverflow(by: ratio)
        let streamFits = compression == .none ? streamSize == shardSize : (overflow || streamSize <= most &+ 64)
        guard streamFits, count <= streamSize / 16, (count == 0) == (streamSize == 0) else {
            throw TFRecordError(.corrupted, "index claims \(count) records in a \(streamSize)-byte \(compression) stream of a \(shardSize)-byte shard, which cannot be; rebuild it with `tfrecord index`",
                                path: path, offset: 16)
        }
    }

    /// An index must be a regular file (a FIFO, device or directory planted at a sidecar's
    /// name is damage, never read: reading a FIFO would block, a device never end).
    /// - Throws: `.corrupted` naming `path`.
    static func checkRegular(_ fd: Int32, path: String) throws(TFRecordError) {
        guard try SystemCalls.status(fd, path: path).isRegular else {
            throw TFRecordError(.corrupted, "not a regular file: an index must be one; delete it or rebuild it with `tfrecord index`", path: path)
        }
    }

    func checkLength(_ fileSize: Int, path: String) throws(TFRecordError) {
        let expected = UInt64(IndexHeader.size) + count * 8
        if UInt64(fileSize) < expected || (flags & IndexHeader.flagSections == 0 && UInt64(fileSize) != expected) {
            throw TFRecordError(.corrupted, "index file is \(fileSize) bytes but its header describes \(count) records (\(expected) bytes); it was cut or overwritten — rebuild it with `tfrecord index`",
                                path: path, offset: 0)
        }
    }
}
