import CSupport
extension RecordIndex {
    /// Writes this index to `path` in the sidecar format (docs/INDEX_FORMAT.md), atomically: to a
    /// temporary file in the same folder, `fsync`ed, then renamed over `path`.
    /// - Parameter path: where to write, usually `RecordIndex.sidecarPath(for: shardPath)`.
    /// - Throws: `TFRecordError.io`; no partial file is left at `path`.
    /// - Complexity: O(count).
    public func write(to path: String) throws(TFRecordError) {
        let (header, sections) = sidecarParts()
        try SystemCalls.replaceAtomically(path, sync: true) { fd, temporary throws(TFRecordError) in
            try withBytes(header) { bytes throws(TFRecordError) in try SystemCalls.writeAll(fd, bytes, path: temporary) }
            if count > 0 { try SystemCalls.writeAll(fd, table.bytes, path: temporary) }
            if !sections.isEmpty {
                try withBytes(sections) { bytes throws(TFRecordError) in try SystemCalls.writeAll(fd, bytes, path: temporary) }
            }
        }
    }

    /// This index in the sidecar format (docs/INDEX_FORMAT.md), as `write(to:)` writes it: the
    /// bytes to upload beside a stored object.
    /// - Returns: the sidecar's bytes.
    /// - Complexity: O(count); 8 bytes per record.
    public func sidecarBytes() -> [UInt8] {
        let (header, sections) = sidecarParts()
        var bytes = header
        bytes.reserveCapacity(header.count + table.bytes.count + sections.count)
        if count > 0 { bytes += UnsafeRawBufferPointer(table.bytes) }
        return bytes + sections
    }

    /// The sidecar's 64-byte header and its optional sections (the offsets go between them).
    private func sidecarParts() -> (header: [UInt8], sections: [UInt8]) {
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
        var flags: UInt32 = checksumsVerified ? IndexHeader.flagPayloadsVerified : 0
        if !sections.isEmpty { flags |= IndexHeader.flagSections }
        let header = IndexHeader(flags: flags,
                                 count: UInt64(count), shard: shard, streamSize: streamSize,
                                 compression: compression, offsetsChecksum: offsetsChecksum).encoded()
        return (header, sections)
    }

    /// The size of a sidecar's header: the bytes `recordCount(sidecarHeader:shardSize:name:)` needs.
    public static let sidecarHeaderSize = IndexHeader.size

    /// The record count a sidecar's 64-byte header gives, checked as far as the header allows:
    /// a valid version-1 header, made for a shard of `shardSize` bytes, whose claims fit that
    /// size (`count` of a stored dataset reads only this much of each sidecar). The offsets are
    /// checked when the index is loaded.
    /// - Parameters:
    ///   - header: the first `sidecarHeaderSize` bytes of the sidecar.
    ///   - shardSize: the shard's size now.
    ///   - name: the sidecar's name, for messages.
    /// - Returns: the record count.
    /// - Throws: `.corrupted` for a header that is not valid or cannot describe the shard;
    ///   `.invalidArgument` when it was made for a shard of another size (stale).
    /// - Complexity: O(1).
    public static func recordCount(sidecarHeader header: [UInt8], shardSize: UInt64, name: String) throws(TFRecordError) -> Int {
        let decoded = try withBytes(header) { (bytes) throws(TFRecordError) in try IndexHeader.decode(bytes, path: name) }
        guard decoded.shard.size == shardSize else {
            throw TFRecordError(.invalidArgument, "stale index: it describes a \(decoded.shard.size)-byte shard but the shard has \(shardSize) bytes; rebuild it with `tfrecord index`",
                                path: name)
        }
        try decoded.checkPlausible(shardSize: shardSize, path: name)
        return Int(decoded.count)
    }

    /// Loads a sidecar index by mapping it: O(1) in the number of records apart from the
    /// checksum of the offsets array, which is always verified (CRC32C runs at tens of GB/s, so
    /// this costs about 1 ms per million records and means no offset is ever used unchecked).
    ///
    /// The index is not compared with its shard here; see `staleness(againstShardAt:)` and
    /// `RecordFile`, which does both.
    /// - Parameter path: the index file.
    /// - Returns: the index, with its offsets used in place from the map.
    /// - Throws: `.io` when it cannot be read; `.corrupted` (naming the index file) when it is
    ///   not a valid version-1 index or its checksums do not match.
    /// - Complexity: O(1) to map, O(count) to checksum; 8 resident bytes per record.
    public static func load(from path: String) throws(TFRecordError) -> RecordIndex {
        try load(from: path, verifyingChecksums: true)
    }

    /// - Parameter shardSize: when given, the header is first checked against a shard of this
    ///   size (`IndexHeader.checkPlausible`), before its offsets are checksummed.
    static func load(from path: String, verifyingChecksums: Bool, shardSize: UInt64? = nil) throws(TFRecordError) -> RecordIndex {
        let descriptor = try FileDescriptor(opening: path, .readSideFile)
        let fd = descriptor.raw
        try IndexHeader.checkRegular(fd, path: path)
        let fileSize = try SystemCalls.size(fd, path: path)
        let region = try MappedRegion(fd: fd, count: fileSize, path: path)
        let header = try IndexHeader.decode(region.bytes, path: path)
        try header.checkLength(fileSize, path: path)
        if let shardSize { try header.checkPlausible(shardSize: shardSize, path: path) }
        guard header.count <= header.streamSize / 16, (header.count == 0) == (header.streamSize == 0) else {
            throw TFRecordError(.corrupted, "index claims \(header.count) records in a \(header.streamSize)-byte stream; rebuild it with `tfrecord index`",
                                path: path, offset: 16)
        }
        let count = Int(header.count)
        if verifyingChecksums {
            let crc = csupport_crc32c_extend(0, region.bytes.baseAddress.map { $0 + IndexHeader.size }, count * 8)
            guard crc == header.offsetsChecksum else {
                throw TFRecordError(.corrupted, "index checksum mismatch over its \(count) offsets; delete the index or rebuild it with `tfrecord index`",
                                    path: path, offset: UInt64(IndexHeader.size))
            }
        }
        try RecordIndex.checkOffsets(region.bytes.baseAddress.map { $0 + IndexHeader.size }, count: count,
                                     streamSize: header.streamSize, path: path)
        var checkpoints: InflateCheckpoints?
        if header.flags & IndexHeader.flagSections != 0 {
            checkpoints = try readSections(region.bytes, from: IndexHeader.size + count * 8, path: path)
        }
        region.advise(.random)
        return RecordIndex(table: OffsetTable(region: region, offset: IndexHeader.size, count: count),
                           shard: header.shard, compression: header.compression,
                           checksumsVerified: header.flags & IndexHeader.flagPayloadsVerified != 0,
                           streamSize: header.streamSize, checkpoints: checkpoints)
    }

    /// Checks an offsets array before any entry is used: the first record starts at 0, each
    /// starts at least 16 bytes (one empty record) after the one before, and the last one's
    /// framing fits in the `streamSize`-byte stream. (Whether each record really ends where the
    /// next begins is proved by every lookup.)
    /// - Throws: `.corrupted` naming `path` and the first bad entry.
    /// - Complexity: O(count), a few compares per entry.
    static func checkOffsets(_ base: UnsafeRawPointer?, count: Int, streamSize: UInt64, path: String) throws(TFRecordError) {
        guard count > 0, let base else {
            guard streamSize == 0 else {
                throw TFRecordError(.corrupted, "index has no records for a \(streamSize)-byte stream; rebuild it with `tfrecord index`", path: path)
            }
            return
        }
        var expected: UInt64 = 0   // the least the next offset may be
        for i in 0..<count {
            let offset = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            guard i == 0 ? offset == 0 : offset >= expected else {
                throw TFRecordError(.corrupted, i == 0
                    ? "index says the first record starts at \(offset), not 0; rebuild it with `tfrecord index`"
                    : "index offset \(offset) of record \(i) is not after record \(i - 1); rebuild it with `tfrecord index`",
                                    path: path, recordNumber: i, offset: UInt64(IndexHeader.size + i * 8))
            }
            guard offset <= streamSize, streamSize - offset >= 16 else {
                throw TFRecordError(.corrupted, "index offset \(offset) of record \(i) leaves no room for a record in the \(streamSize)-byte stream; rebuild it with `tfrecord index`",
                                    path: path, recordNumber: i, offset: UInt64(IndexHeader.size + i * 8))
            }
            expected = offset + 16
        }
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
