import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        let fd = try SystemCalls.open(path, O_RDONLY)
        defer { Glibc.close(fd) }
        let fileSize = try SystemCalls.size(fd, path: path)
        var raw = [UInt8](repeating: 0, count: IndexHeader.size)
        var n = 0
        var failure: TFRecordError?
        raw.withUnsafeMutableBytes { buffer in
            do throws(TFRecordError) { n = try SystemCalls.pread(fd, buffer, at: 0, path: path) } catch { failure = error }
        }
        if let failure { throw failure }
        let header = try withBytes(raw) { buffer throws(TFRecordError) in
            try decode(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: path)
        }
        try header.checkLength(fileSize, path: path)
        return header
    }

    /// Checks that a file of `fileSize` bytes holds the whole offsets array (and nothing else
    /// unless the sections flag is set).
    func checkLength(_ fileSize: Int, path: String) throws(TFRecordError) {
        let expected = UInt64(IndexHeader.size) + count * 8
        if UInt64(fileSize) < expected || (flags & IndexHeader.flagSections == 0 && UInt64(fileSize) != expected) {
            throw TFRecordError(.corrupted, "index file is \(fileSize) bytes but its header describes \(count) records (\(expected) bytes); it was cut or overwritten — rebuild it with `tfrecord index`",
                                path: path, offset: 0)
        }
    }
}

extension RecordIndex {
    /// Writes this index to `path` in the sidecar format (docs/INDEX_FORMAT.md), atomically: to a
    /// temporary file in the same folder, `fsync`ed, then renamed over `path`.
    /// - Parameter path: where to write, usually `RecordIndex.sidecarPath(for: shardPath)`.
    /// - Throws: `TFRecordError.io`; no partial file is left at `path`.
    /// - Complexity: O(count).
    public func write(to path: String) throws(TFRecordError) {
        let offsetsChecksum = csupport_crc32c_extend(0, table.bytes.baseAddress, table.bytes.count)
        // Optional sections: u32 tag, u32 CRC32C of the payload, u64 length, payload, zero
        // padding to a multiple of 8.
        var sections: [UInt8] = []
        if let checkpoints {
            let payload = checkpoints.serialized()
            func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { sections.append(contentsOf: $0) } }
            put(IndexHeader.sectionInflateCheckpoints)
            put(CRC32C.checksum(payload))
            put(UInt64(payload.count))
            sections += payload
            sections += [UInt8](repeating: 0, count: (8 - payload.count % 8) % 8)
        }
        var flags: UInt32 = payloadsVerified ? IndexHeader.flagPayloadsVerified : 0
        if !sections.isEmpty { flags |= IndexHeader.flagSections }
        let header = IndexHeader(flags: flags,
                                 count: UInt64(count), shard: shard, streamSize: streamSize,
                                 compression: compression, offsetsChecksum: offsetsChecksum).encoded()
        try SystemCalls.replaceAtomically(path, sync: true) { fd, temporary throws(TFRecordError) in
            try withBytes(header) { bytes throws(TFRecordError) in try SystemCalls.writeAll(fd, bytes, path: temporary) }
            if count > 0 { try SystemCalls.writeAll(fd, table.bytes, path: temporary) }
            if !sections.isEmpty {
                try withBytes(sections) { bytes throws(TFRecordError) in try SystemCalls.writeAll(fd, bytes, path: temporary) }
            }
        }
    }

    /// Loads a sidecar index by mapping it: O(1) in the number of records apart from the
    /// checksum of the offsets array, which is always verified (CRC32C runs at tens of GB/s, so
    /// this costs about 1 ms per million records and means no offset is ever used unchecked).
    ///
    /// The index is not compared with its shard here; see `staleness(againstShardAt:)` and
    /// `IndexedRecordFile`, which does both.
    /// - Parameter path: the index file.
    /// - Returns: the index, with its offsets used in place from the map.
    /// - Throws: `.io` when it cannot be read; `.corrupted` (naming the index file) when it is
    ///   not a valid version-1 index or its checksums do not match.
    /// - Complexity: O(1) to map, O(count) to checksum; 8 resident bytes per record.
    public static func load(from path: String) throws(TFRecordError) -> RecordIndex {
        try load(from: path, verifyingChecksum: true)
    }

    static func load(from path: String, verifyingChecksum: Bool) throws(TFRecordError) -> RecordIndex {
        let fd = try SystemCalls.open(path, O_RDONLY)
        defer { Glibc.close(fd) }
        let fileSize = try SystemCalls.size(fd, path: path)
        let region = try MappedRegion(fd: fd, count: fileSize, path: path)
        let header = try IndexHeader.decode(region.bytes, path: path)
        try header.checkLength(fileSize, path: path)
        let count = Int(header.count)
        if verifyingChecksum {
            let crc = csupport_crc32c_extend(0, region.bytes.baseAddress.map { $0 + IndexHeader.size }, count * 8)
            guard crc == header.offsetsChecksum else {
                throw TFRecordError(.corrupted, "index checksum mismatch over its \(count) offsets; delete the index or rebuild it with `tfrecord index`",
                                    path: path, offset: UInt64(IndexHeader.size))
            }
        }
        var checkpoints: InflateCheckpoints?
        if header.flags & IndexHeader.flagSections != 0 {
            checkpoints = try readSections(region.bytes, from: IndexHeader.size + count * 8, path: path)
        }
        region.advise(.random)
        return RecordIndex(table: OffsetTable(region: region, offset: IndexHeader.size, count: count),
                           shard: header.shard, compression: header.compression,
                           payloadsVerified: header.flags & IndexHeader.flagPayloadsVerified != 0,
                           streamSize: header.streamSize, checkpoints: checkpoints)
    }

    /// Walks the optional sections after the offsets array; returns the inflate checkpoints if
    /// there is such a section (other tags are skipped).
    /// - Throws: `.corrupted` when a section runs past the end or its checksum does not match.
    static func readSections(_ bytes: UnsafeRawBufferPointer, from start: Int, path: String) throws(TFRecordError) -> InflateCheckpoints? {
        var position = start
        var checkpoints: InflateCheckpoints?
        while position < bytes.count {
            guard bytes.count - position >= 16 else {
                throw TFRecordError(.corrupted, "index section header cut short", path: path, offset: UInt64(position))
            }
            let tag = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
            let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self))
            let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self))
            let body = position + 16
            guard length <= UInt64(bytes.count - body) else {
                throw TFRecordError(.corrupted, "index section \(tag) claims \(length) bytes past the end of the file", path: path, offset: UInt64(position))
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[body ..< body + Int(length)])
            if tag == IndexHeader.sectionInflateCheckpoints {
                guard csupport_crc32c_extend(0, payload.baseAddress, payload.count) == crc else {
                    throw TFRecordError(.corrupted, "index section \(tag) (inflate checkpoints) checksum mismatch; rebuild it with `tfrecord index`",
                                        path: path, offset: UInt64(position))
                }
                do {
                    checkpoints = try InflateCheckpoints(serialized: [UInt8](payload))
                } catch {
                    throw error.inFile(path)
                }
            }
            position = body + Int(length) + (8 - Int(length) % 8) % 8
        }
        return checkpoints
    }
}

/// `array.withUnsafeBytes` for a body with typed throws.
func withBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(TFRecordError) -> R) throws(TFRecordError) -> R {
    var result: Result<R, TFRecordError>?
    array.withUnsafeBytes { buffer in
        result = Result { () throws(TFRecordError) -> R in try body(buffer) }
    }
    return try result!.get()
}
