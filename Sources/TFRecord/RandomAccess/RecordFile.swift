import CSupport
/// A shard with its index: any record by number in O(1).
///
/// Uncompressed shards are read zero-copy through the map. GZIP and ZLIB shards are read through
/// the index's inflate checkpoints: a record costs at most one
/// checkpoint span of inflation (one member for blocked GZIP), and is delivered from a copy.
///
/// Every access checks the record's length CRC, that its framed length ends exactly where the
/// next record starts (or where the file ends), and by default its payload CRC — so an index
/// that does not match the file is reported, never trusted. Immutable and `Sendable`: many
/// threads may read from one instance at once; the read path takes no lock.
public final class RecordFile: @unchecked Sendable {
    // @unchecked: besides the two immutable, Sendable objects it holds, it caches raw pointers
    // into their read-only maps (valid as long as they live, which is as long as `self`), so the
    // read path touches no reference counts shared between threads.

    /// The mapped shard (for a compressed shard, its compressed bytes); nil for a stored object.
    package let file: MappedFile?
    /// The shard's path (or the object's name).
    public let path: String
    /// Its index.
    public let index: RecordIndex
    private let shardBase: UnsafeRawPointer?
    private let shardSize: Int
    private let offsets: UnsafeRawPointer?
    private let recordCount: Int
    private let streamEnd: UInt64
    /// Where records come from when not from the map: a compressed shard's checkpoints, or a
    /// stored object; nil for an uncompressed local shard.
    let copied: (any CopiedRecords)?
    /// Whether records are delivered from copies made by `copied` (else read from the map).
    @usableFromInline let isCompressed: Bool
    /// The stored object read, or nil for a local shard.
    public let object: (any StoredObject)?
    /// Number of records, from the index (no scan).
    public var count: Int { index.count }

    /// Pairs an open shard with an index of it.
    /// - Parameters:
    ///   - file: the shard.
    ///   - index: an index of that shard (built, loaded or imported).
    /// - Throws: `.invalidArgument` when the index of a compressed shard has no inflate
    ///   checkpoints, or the index of an uncompressed one describes a stream of another size.
    package init(file: MappedFile, index: RecordIndex) throws(TFRecordError) {
        if index.compression != .none {
            guard let checkpoints = index.checkpoints, index.compression == .gzip || index.compression == .zlib else {
                throw TFRecordError(.invalidArgument, "random access into this \(index.compression) shard needs an index with inflate checkpoints; rebuild it with `tfrecord index`",
                                    path: file.path)
            }
            try checkpoints.validate(streamSize: index.streamSize, compressedSize: UInt64(file.byteCount), path: file.path)
            copied = try CompressedFile(path: file.path, checkpoints: checkpoints)
        } else {
            copied = nil
        }
        guard index.compression != .none || index.streamSize == UInt64(file.byteCount) else {
            throw TFRecordError(.invalidArgument, "the index describes \(index.streamSize) bytes but the file has \(file.byteCount): it is stale; rebuild it with `tfrecord index`",
                                path: file.path)
        }
        try RecordIndex.checkOffsets(index.table.base, count: index.count, streamSize: index.streamSize, path: file.path)
        isCompressed = copied != nil
        self.file = file
        path = file.path
        object = nil
        self.index = index
        shardBase = file.region.bytes.baseAddress
        shardSize = file.region.bytes.count
        offsets = index.table.base
        recordCount = index.count
        streamEnd = index.streamSize
    }

    /// Reads a stored object (an object in S3, on an HTTP server) by record number through an
    /// index of it (built with `RecordIndex.build(object:)`, or a sidecar fetched and loaded).
    ///
    /// The index must describe this object: its recorded size and fingerprint (the CRC32C of the
    /// first and last 64 KiB, read now) must match; modification times are not compared. Each
    /// record of an uncompressed object is then one `bytes(in:)` read of exactly its framed
    /// bytes; a GZIP/ZLIB object is inflated from the nearest checkpoint (reads of 1 MiB). Every
    /// record is checked as for a local shard.
    /// - Parameters:
    ///   - object: the shard.
    ///   - index: an index of it.
    /// - Throws: `.invalidArgument` when the index is stale (another size or fingerprint) or a
    ///   compressed shard's index has no checkpoints; `.corrupted` for an index whose offsets or
    ///   checkpoints cannot describe the object; `.io` when the fingerprint cannot be read.
    /// - Complexity: O(records) to check the offsets, plus one or two reads of 64 KiB.
    public init(object: any StoredObject, index: RecordIndex) throws(TFRecordError) {
        let current = try ShardIdentity.of(object: object)
        if index.shard.size != current.size || index.shard.fingerprint != current.fingerprint {
            let why = index.shard.size != current.size
                ? "the index describes a \(index.shard.size)-byte shard but the object has \(current.size) bytes"
                : "the object's content changed since the index was built (same size, different fingerprint)"
            throw TFRecordError(.invalidArgument, "stale index: \(why); rebuild it with `tfrecord index \(object.name)`", path: object.name)
        }
        if index.compression != .none {
            guard let checkpoints = index.checkpoints, index.compression == .gzip || index.compression == .zlib else {
                throw TFRecordError(.invalidArgument, "random access into this \(index.compression) shard needs an index with inflate checkpoints; rebuild it with `tfrecord index`",
                                    path: object.name)
            }
            try checkpoints.validate(streamSize: index.streamSize, compressedSize: object.byteCount, path: object.name)
            copied = CompressedFile(input: ObjectInput(object: object), checkpoints: checkpoints)
        } else {
            guard index.streamSize == object.byteCount else {
                throw TFRecordError(.invalidArgument, "the index describes \(index.streamSize) bytes but the object has \(object.byteCount): it is stale; rebuild it with `tfrecord index`",
                                    path: object.name)
            }
            copied = ObjectRecords(object: object)
        }
        try RecordIndex.checkOffsets(index.table.base, count: index.count, streamSize: index.streamSize, path: object.name)
        isCompressed = true
        file = nil
        path = object.name
        self.object = object
        self.index = index
        shardBase = nil
        shardSize = 0
        offsets = index.table.base
        recordCount = index.count
        streamEnd = index.streamSize
    }

    /// Opens the shard at `path` with an index built, loaded or imported earlier.
    /// - Parameters:
    ///   - path: the shard (uncompressed, GZIP or ZLIB).
    ///   - index: an index of that shard.
    /// - Throws: `.io` when the shard cannot be opened; `.invalidArgument` when the index of a
    ///   compressed shard has no inflate checkpoints or the index describes a stream of another size.
    public convenience init(path: String, index: RecordIndex) throws(TFRecordError) {
        try self.init(file: MappedFile(path: path, access: .random), index: index)
    }

    /// Opens the shard at `path` with its sidecar index (`path + ".tfindex"`), building,
    /// rebuilding or refusing it as `options` say.
    ///
    /// A sidecar is used only if its header and offsets checksums verify and it records the
    /// shard's current size, modification time and fingerprint.
    /// - Parameters:
    ///   - path: the shard (uncompressed, GZIP or ZLIB).
    ///   - options: what to do when the sidecar is missing or stale.
    /// - Throws: `.invalidArgument` when the policy is `.refuse` and the sidecar is missing or
    ///   stale; `.corrupted`/`.truncated` when the shard is damaged while (re)building; `.io`.
    /// - Complexity: O(1) + the offsets checksum with a valid sidecar, O(size) when building.
    public convenience init(path: String, options: IndexOptions = IndexOptions()) throws(TFRecordError) {
        let file = try MappedFile(path: path, access: .random)
        let index = try RecordFile.sidecarIndex(for: file, options: options)
        try self.init(file: file, index: index)
    }

    /// The valid sidecar index of `file`, or a (re)built one, following `options`.
    static func sidecarIndex(for file: MappedFile, options: IndexOptions) throws(TFRecordError) -> RecordIndex {
        let prefix = Array(UnsafeRawBufferPointer(rebasing: file.region.bytes.prefix(16)))
        let compression = Compression.detect(prefix: prefix)
        // Uncompressed shards are indexed from the map; compressed ones by decompressing them,
        // which also builds their inflate checkpoints.
        func build() throws(TFRecordError) -> RecordIndex {
            compression == .none
                ? try RecordIndex.build(for: file, verifyingChecksums: options.verifyingChecksums)
                : try RecordIndex.build(path: file.path, verifyingChecksums: options.verifyingChecksums)
        }
        let sidecar = RecordIndex.sidecarPath(for: file.path)
        let problem: String
        var damage: TFRecordError?
        // Anything but a regular file at the sidecar's name (a FIFO would block a reader) is
        // taken as no sidecar.
        let exists = SystemCalls.isRegularFile(sidecar)
        if exists {
            do {
                // The identity first, from the 64-byte header: a stale or forged index is not
                // checksummed (its count could claim a terabyte of offsets).
                let header = try IndexHeader.read(path: sidecar)
                let current = try ShardIdentity.of(fd: file.fd, path: file.path)
                if let mismatch = header.shard.mismatch(with: current) {
                    problem = "stale index \(sidecar): \(mismatch)"
                } else if UInt64(file.byteCount) != current.size {
                    problem = "the shard changed size since it was opened"
                } else {
                    let index = try RecordIndex.load(from: sidecar, verifyingChecksums: true, shardSize: current.size)
                    if let mismatch = index.shard.mismatch(with: current) {
                        problem = "stale index \(sidecar): \(mismatch)"
                    } else if index.compression != .none && index.checkpoints == nil {
                        problem = "index \(sidecar) of a compressed shard has no inflate checkpoints"
                    } else if index.compression == .none && index.streamSize != UInt64(file.byteCount) {
                        // Same identity, another size: stale; rebuilt like any stale index, never
                        // refused later as a usage error by `init(file:index:)`.
                        problem = "stale index \(sidecar): it describes \(index.streamSize) bytes but the shard has \(file.byteCount)"
                    } else {
                        try index.checkpoints?.validate(streamSize: index.streamSize, compressedSize: current.size, path: sidecar)
                        return index
                    }
                }
            } catch where error.kind == .corrupted || error.kind == .truncated {
                problem = error.description
                damage = error
            } catch where error.kind == .io && error.path == sidecar {
                // Unreadable (permissions, a folder): as good as missing for the shard's reader.
                problem = error.description
                damage = nil
            }
            switch options.stale {
            case .refuse:
                // A damaged sidecar is damage (exit 1 in the CLI); a stale one a refusal.
                if let damage { throw damage }
                throw TFRecordError(.invalidArgument, "\(problem); rebuild it with `tfrecord index`", path: file.path)
            case .rebuild, .rebuildAndSave:
                let index = try build()
                if options.stale == .rebuildAndSave { try index.write(to: sidecar) }
                return index
            }
        }
        switch options.missing {
        case .refuse:
            throw TFRecordError(.invalidArgument, "no index \(sidecar); build it with `tfrecord index`", path: file.path)
        case .build, .buildAndSave:
            let index = try build()
            if options.missing == .buildAndSave { try index.write(to: sidecar) }
            return index
        }
    }

    /// The number of records of the shard at `path` from its sidecar index, without reading the
    /// shard's records, or nil when there is no valid sidecar (missing, damaged or stale).
    /// - Parameter path: the shard (any compression).
    /// - Returns: the record count, or nil.
    ///
    /// The sidecar is untrusted: its header must fit the shard (`IndexHeader.checkPlausible`)
    /// and its offsets must pass their checksum and order checks, as when it is loaded.
    /// - Complexity: O(records) for the offsets checksum (about 1 ms per million records);
    ///   the shard's identity is checked first from the 64-byte header.
    public static func indexedCount(ofShardAt path: String) -> Int? {
        let sidecar = RecordIndex.sidecarPath(for: path)
        guard SystemCalls.isRegularFile(sidecar),
              let header = try? IndexHeader.read(path: sidecar),
              let current = try? ShardIdentity.of(path: path),
              header.shard.mismatch(with: current) == nil,
              (try? header.checkPlausible(shardSize: current.size, path: sidecar)) != nil,
              let index = try? RecordIndex.load(from: sidecar, verifyingChecksums: true, shardSize: current.size),
              index.shard.mismatch(with: current) == nil else { return nil }
        if let checkpoints = index.checkpoints,
           (try? checkpoints.validate(streamSize: index.streamSize, compressedSize: current.size, path: sidecar)) == nil {
            return nil
        }
        return index.count
    }

    /// Checks record `i` and returns its payload bytes inside the map.
    @usableFromInline
    func payload(at i: Int, verifyingChecksums: Bool) throws(TFRecordError) -> UnsafeRawBufferPointer {
        precondition(i >= 0 && i < recordCount,
                     "record number \(i) is out of range: \(path) has \(recordCount) record(s)")
        let offset = UInt64(littleEndian: offsets.unsafelyUnwrapped.load(fromByteOffset: i &* 8, as: UInt64.self))
        let next = i + 1 < recordCount
            ? UInt64(littleEndian: offsets.unsafelyUnwrapped.load(fromByteOffset: (i + 1) &* 8, as: UInt64.self))
            : streamEnd
        // The record must lie inside the file and end exactly where the next one starts.
        let framing = UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
        if let base = shardBase, offset < next, next <= UInt64(shardSize), next - offset >= framing {
            if csupport_check_indexed_record(base, offset, next, verifyingChecksums ? 1 : 0) != 0 {
                return UnsafeRawBufferPointer(start: base + Int(offset) + Int(CSUPPORT_TFRECORD_HEADER_SIZE),
                                              count: Int(next - offset - framing))
            }
        }
        return try slowPayload(at: i, offset: offset, next: next, verifyingChecksums: verifyingChecksums)
    }

    /// The error path of `payload(at:verifyingChecksums:)`: says exactly what is wrong.
    @inline(never)
    private func slowPayload(at i: Int, offset: UInt64, next: UInt64, verifyingChecksums: Bool) throws(TFRecordError) -> UnsafeRawBufferPointer {
        let payload = try file.unsafelyUnwrapped.payloadBytes(atOffset: offset, recordNumber: i, verifyingChecksums: verifyingChecksums)
        let end = offset &+ UInt64(payload.count) &+ UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
        guard end == next else {
            throw TFRecordError(.corrupted, "the record ends at \(end) but the index says the next record starts at \(next): the index does not match the file; rebuild it with `tfrecord index`",
                                path: path, recordNumber: i, offset: offset)
        }
        return payload
    }

    /// Calls `body` with the payload of record `i`, zero-copy.
    /// - Parameters:
    ///   - i: the record number, `0 ..< count`.
    ///   - verifyingChecksums: check the payload CRC (the length CRC is always checked).
    ///   - body: receives the payload, valid only during the call.
    /// - Returns: what `body` returns.
    /// - Throws: `TFRecordError` naming the file, record number and offset when the record is
    ///   damaged or does not match the index; or what `body` throws.
    /// - Precondition: `0 <= i < count` (a programmer error otherwise: the process stops).
    /// - Complexity: O(1) lookup; O(payload length) with the checksum.
    @inlinable
    public func withRecord<R>(at i: Int, verifyingChecksums: Bool = true, _ body: (RawSpan) throws -> R) throws -> R {
        if isCompressed {
            let copy = try compressedRecord(at: i, verifyingChecksums: verifyingChecksums)
            return try body(copy.span.bytes)
        }
        let bytes = try payload(at: i, verifyingChecksums: verifyingChecksums)
        return try body(RawSpan(_unsafeBytes: bytes))
    }

    /// Record `i` of a compressed shard, inflated from the nearest checkpoint before it.
    @usableFromInline
    func compressedRecord(at i: Int, verifyingChecksums: Bool) throws(TFRecordError) -> [UInt8] {
        precondition(i >= 0 && i < recordCount,
                     "record number \(i) is out of range: \(path) has \(recordCount) record(s)")
        let offset = UInt64(littleEndian: offsets.unsafelyUnwrapped.load(fromByteOffset: i &* 8, as: UInt64.self))
        let next = i + 1 < recordCount
            ? UInt64(littleEndian: offsets.unsafelyUnwrapped.load(fromByteOffset: (i + 1) &* 8, as: UInt64.self))
            : streamEnd
        do {
            return try copied.unsafelyUnwrapped.record(atOffset: offset, recordNumber: i, end: next,
                                                       verifyingChecksums: verifyingChecksums)
        } catch {
            // A failed read (a stored object after its retries) names the record it was reading.
            throw error.kind == .io ? ObjectRecords.naming(error, recordNumber: i, offset: offset, object: path) : error
        }
    }

    /// Calls `body` with each of the records `numbers`, in the order given, zero-copy.
    ///
    /// Faster than one `withRecord(at:)` per number for random numbers in a large file: while
    /// one record is checked, the index entries and record headers of the next few are already
    /// being fetched from memory (software prefetch), so their cache and TLB misses overlap.
    /// For a stored object, each window of 4,096 records is fetched as one batch
    /// (`StoredObject.bytes(in: ranges)`) before it is delivered.
    /// - Parameters:
    ///   - numbers: record numbers, each `0 ..< count`, in any order, repeats allowed.
    ///   - verifyingChecksums: check each payload CRC (length CRCs are always checked).
    ///   - body: receives the record number and its payload, valid only during the call.
    /// - Throws: `TFRecordError` for the first damaged record (records before it were
    ///   delivered), or what `body` throws.
    /// - Precondition: every number is in `0 ..< count`.
    /// - Complexity: O(numbers.count) lookups.
    public func forEachRecord(at numbers: [Int], verifyingChecksums: Bool = true,
                              _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        if object != nil {
            try RecordFile.forEachRecordFetchingAhead(count: numbers.count, file: { _ in self }, record: { numbers[$0] },
                                                      verifyingChecksums: verifyingChecksums) { k, payload in
                try body(numbers[k], payload)
            }
            return
        }
        try RecordFile.forEachRecord(count: numbers.count, file: { _ in self }, record: { numbers[$0] },
                                     verifyingChecksums: verifyingChecksums) { k, payload in
            try body(numbers[k], payload)
        }
    }

    /// The batch read of `RecordFile` and `Dataset`: reads record `record(k)` of `file(k)` for
    /// each `k` in `0 ..< count`, in order, and calls `body` with `k` and the payload.
    ///
    /// While one record is checked, the index entries and headers of the next few are already
    /// being fetched from memory (software prefetch), so their cache and TLB misses overlap.
    /// Records of compressed files are inflated from their nearest checkpoint into a copy.
    @inline(__always)
    static func forEachRecord(count n: Int, file: (Int) -> RecordFile, record: (Int) -> Int,
                              verifyingChecksums: Bool,
                              _ body: (_ k: Int, _ payload: RawSpan) throws -> Void) throws {
        let distance = 8
        for k in 0 ..< min(2 * distance, n) { file(k).prefetchIndexEntry(record(k)) }
        for k in 0 ..< min(distance, n) { file(k).prefetchRecord(record(k)) }
        for k in 0 ..< n {
            if k + 2 * distance < n { file(k + 2 * distance).prefetchIndexEntry(record(k + 2 * distance)) }
            if k + distance < n { file(k + distance).prefetchRecord(record(k + distance)) }
            let shard = file(k)
            let i = record(k)
            if shard.isCompressed {
                let copy = try shard.compressedRecord(at: i, verifyingChecksums: verifyingChecksums)
                try body(k, copy.span.bytes)
                continue
            }
            let bytes = try shard.payload(at: i, verifyingChecksums: verifyingChecksums)
            try body(k, RawSpan(_unsafeBytes: bytes))
        }
    }

    /// `forEachRecord(at:verifyingChecksums:_:)` for any collection of record numbers (such as a
    /// `RecordOrder`); the numbers are first copied into an array.
    /// - Complexity: O(numbers.count) lookups, 8 bytes of memory per number.
    public func forEachRecord<C: Collection>(at numbers: C, verifyingChecksums: Bool = true,
                                             _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws
    where C.Element == Int {
        try forEachRecord(at: Array(numbers), verifyingChecksums: verifyingChecksums, body)
    }

    /// Starts loading the index entry of record `i` into the cache (no effect when out of range).
    @inline(__always)
    func prefetchIndexEntry(_ i: Int) {
        guard i >= 0, i < recordCount, let offsets else { return }
        csupport_prefetch(offsets + i &* 8)
    }

    /// Starts loading the header of record `i` into the cache (no effect when out of range).
    @inline(__always)
    func prefetchRecord(_ i: Int) {
        guard i >= 0, i < recordCount, let base = shardBase, let offsets else { return }
        let offset = UInt64(littleEndian: offsets.load(fromByteOffset: i &* 8, as: UInt64.self))
        if offset < UInt64(shardSize) { csupport_prefetch(base + Int(offset)) }
    }

    /// A copy of the payload of record `i`.
    /// - Parameters:
    ///   - i: the record number, `0 ..< count`.
    ///   - verifyingChecksums: check the payload CRC (the length CRC is always checked).
    /// - Returns: the payload.
    /// - Throws: `TFRecordError` naming the file, record number and offset when the record is
    ///   damaged or does not match the index.
    /// - Precondition: `0 <= i < count`.
    /// - Complexity: O(payload length).
    public func record(at i: Int, verifyingChecksums: Bool = true) throws(TFRecordError) -> [UInt8] {
        if isCompressed { return try compressedRecord(at: i, verifyingChecksums: verifyingChecksums) }
        return [UInt8](try payload(at: i, verifyingChecksums: verifyingChecksums))
    }
}
