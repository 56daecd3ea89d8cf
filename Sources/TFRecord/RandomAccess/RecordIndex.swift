import CSupport
/// The byte offset of every record of one shard, with what is needed to tell whether it still
/// describes that shard.
///
/// An index is built by one zero-copy pass of the C scanner over the mapped shard (length CRCs
/// always checked, payload CRCs optionally), or loaded from a sidecar file (`<shard>.tfindex`,
/// see docs/INDEX_FORMAT.md) by mapping it, or imported from a text index. It holds 8 bytes per
/// record and nothing else per record: payload lengths come from the record headers, which are
/// checked on every access. Immutable and `Sendable`.
public final class RecordIndex: Sendable {
    /// Number of records in the shard.
    public let count: Int
    /// The shard's size, modification time and fingerprint when the index was built.
    public let shard: ShardIdentity
    /// The shard's compression; offsets are in the uncompressed record stream.
    public let compression: Compression
    /// Whether every payload CRC was checked when the index was built.
    public let checksumsVerified: Bool
    /// Size of the uncompressed record stream (the shard's size when it is not compressed).
    public let streamSize: UInt64
    /// For a GZIP or ZLIB shard, access points into its compressed stream (stored in the
    /// sidecar's optional section), so `RecordFile` can read any
    /// record at `offset(ofRecord:)` by inflating at most one checkpoint span; nil otherwise.
    public let checkpoints: InflateCheckpoints?
    let table: OffsetTable

    init(table: consuming OffsetTable, shard: ShardIdentity, compression: Compression,
         checksumsVerified: Bool, streamSize: UInt64, checkpoints: InflateCheckpoints? = nil) {
        self.count = table.count
        self.table = table
        self.shard = shard
        self.compression = compression
        self.checksumsVerified = checksumsVerified
        self.streamSize = streamSize
        self.checkpoints = checkpoints
    }

    /// The header offset of record `i`.
    ///
    /// - Precondition: `0 <= i < count` (a programmer error otherwise: the process stops).
    /// - Complexity: O(1).
    @inline(__always)
    public func offset(ofRecord i: Int) -> UInt64 {
        precondition(i >= 0 && i < count, "record number \(i) is out of range: the index has \(count) record(s)")
        return table.offset(i)
    }

    /// A copy of every offset, in order.
    /// - Complexity: O(count).
    public var offsets: [UInt64] {
        (0..<count).map { table.offset($0) }
    }

    /// The path of the sidecar index of `shardPath`: `shardPath + ".tfindex"`.
    public static func sidecarPath(for shardPath: String) -> String { shardPath + ".tfindex" }

    /// Builds the index of an uncompressed, mapped shard with one zero-copy pass of the C scanner.
    /// - Parameters:
    ///   - file: the shard.
    ///   - verifyingChecksums: also check every payload CRC (length CRCs are always checked).
    /// - Returns: the index; its identity is the shard's at the time of the scan.
    /// - Throws: `TFRecordError` (`.corrupted`/`.truncated`) naming the first damaged record and
    ///   its offset; `.io` when the shard changed size while it was scanned.
    /// - Complexity: O(record count) header reads, O(size) with payload checks. Resident memory:
    ///   8 bytes per record.
    package static func build(for file: MappedFile, verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        let identity = try ShardIdentity.of(fd: file.fd, path: file.path)
        let bytes = file.region.bytes
        guard identity.size == UInt64(bytes.count) else {
            throw TFRecordError(.io, "the file changed size since it was opened (\(bytes.count) -> \(identity.size) bytes)",
                                path: file.path)
        }
        guard let base = bytes.baseAddress else {
            return RecordIndex(table: OffsetTable(heap: nil, count: 0), shard: identity, compression: .none,
                               checksumsVerified: verifyingChecksums, streamSize: 0)
        }
        // Every record takes at least 16 bytes, so size/16 + 1 slots always suffice: reserve
        // them as an anonymous map (address space only: pages become resident as offsets are
        // written, 8 bytes per record) backed by 2 MiB pages where the kernel allows, which
        // spares random lookups most TLB misses; then give back the unused tail.
        let most = bytes.count / 16 + 1
        let table = try OffsetTable.Reservation(count: most, path: file.path)
        let result = csupport_scan_records_fast(base, bytes.count, 0, verifyingChecksums ? 1 : 0,
                                                table.base.assumingMemoryBound(to: UInt64.self), most)
        if let error = ScanFailure.error(for: result, recordNumber: Int(result.records),
                                         remaining: UInt64(bytes.count) - result.position, path: file.path,
                                         head: bytes) {
            table.release()
            throw error
        }
        let count = Int(result.records)
        #if _endian(big)
        for i in 0..<count { table.base.storeBytes(of: table.base.load(fromByteOffset: i * 8, as: UInt64.self).littleEndian, toByteOffset: i * 8, as: UInt64.self) }
        #endif
        return RecordIndex(table: table.finish(count: count), shard: identity, compression: .none,
                           checksumsVerified: verifyingChecksums, streamSize: UInt64(bytes.count))
    }

    /// Builds the index of the shard at `path`, whatever its compression.
    ///
    /// Uncompressed shards are mapped and scanned zero-copy; compressed shards are decompressed
    /// front to back with `RecordReader` (offsets are then in the uncompressed stream), and GZIP
    /// and ZLIB shards get `checkpoints` for random access (a second pass).
    /// - Parameters:
    ///   - path: the shard.
    ///   - verifyingChecksums: also check every payload CRC.
    /// - Returns: the index.
    /// - Throws: `TFRecordError` for damage, `.io` when the shard cannot be read.
    /// - Complexity: O(size).
    public static func build(path: String, verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        let prefix = try FileDescriptor.withOpened(path) { fd throws(TFRecordError) in
            try RecordReader.readPrefix(fd: fd.raw, path: path)
        }
        let compression = Compression.detect(prefix: prefix)
        if compression == .none {
            return try build(for: MappedFile(path: path, access: .sequential), verifyingChecksums: verifyingChecksums)
        }
        let identity = try ShardIdentity.of(path: path)
        let reader = try RecordReader(path: path, options: ReadOptions(compression: compression,
                                                                       verifyingChecksums: verifyingChecksums))
        var offsets: [UInt64] = []
        var position: UInt64 = 0
        do {
            try reader.forEachRecord { _, payload in
                offsets.append(position)
                position += UInt64(payload.byteCount) + UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
            }
        } catch let error as TFRecordError {
            throw error
        } catch {
            // The reader has no skip handler and the body does not throw: only `TFRecordError`s
            // arrive here. Say so rather than trap if that ever changes.
            throw TFRecordError(.io, "unexpected error while indexing: \(error)", path: path)
        }
        var checkpoints: InflateCheckpoints?
        if compression == .gzip || compression == .zlib {
            checkpoints = try InflateCheckpoints.build(path: path, compression: compression)
        }
        guard try ShardIdentity.of(path: path) == identity else {
            throw TFRecordError(.io, "the file changed while it was indexed", path: path)
        }
        return RecordIndex(table: OffsetTable(copying: offsets), shard: identity, compression: compression,
                           checksumsVerified: verifyingChecksums, streamSize: position, checkpoints: checkpoints)
    }

    /// Builds the index of a stored object (an object in S3, on an HTTP server), whatever its
    /// compression, by reading it front to back with `RecordReader(object:)` (every length CRC
    /// checked, payload CRCs as asked); GZIP and ZLIB objects get inflate checkpoints from a
    /// second front-to-back read (`InflateCheckpoints.build(object:)`).
    /// - Parameters:
    ///   - object: the shard.
    ///   - verifyingChecksums: also check every payload CRC.
    /// - Returns: the index; its identity is the object's size and fingerprint (time 0).
    /// - Throws: `TFRecordError` for damage (naming the object, record and offset), `.io` when it
    ///   cannot be read.
    /// - Complexity: the object's bytes fetched once (twice for GZIP/ZLIB); 8 bytes per record.
    public static func build(object: any StoredObject, verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        let identity = try ShardIdentity.of(object: object)
        let reader = try RecordReader(object: object, options: ReadOptions(verifyingChecksums: verifyingChecksums))
        let compression = reader.compression
        var offsets: [UInt64] = []
        var position: UInt64 = 0
        do {
            try reader.forEachRecord { _, payload in
                offsets.append(position)
                position += UInt64(payload.byteCount) + UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
            }
        } catch let error as TFRecordError {
            throw error
        } catch {
            throw TFRecordError(.io, "unexpected error while indexing: \(error)", path: object.name)
        }
        var checkpoints: InflateCheckpoints?
        if compression == .gzip || compression == .zlib {
            checkpoints = try InflateCheckpoints.build(object: object, compression: compression)
        }
        return RecordIndex(table: OffsetTable(copying: offsets), shard: identity, compression: compression,
                           checksumsVerified: verifyingChecksums, streamSize: position, checkpoints: checkpoints)
    }

    /// Why this index does not describe the shard at `path` as it is now, or nil when it does.
    /// - Parameter path: the shard.
    /// - Returns: a sentence naming the difference (size, modification time or fingerprint).
    /// - Throws: `TFRecordError.io` when the shard cannot be opened or read.
    /// - Complexity: O(1) (reads at most 128 KiB of the shard).
    public func staleness(againstShardAt path: String) throws(TFRecordError) -> String? {
        shard.mismatch(with: try ShardIdentity.of(path: path))
    }
}
