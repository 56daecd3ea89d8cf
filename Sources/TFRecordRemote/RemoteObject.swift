import TFRecord

/// One object in object storage as the core reads it: a `StoredObject` (`RecordReader(object:)`,
/// `RecordFile(object:index:)`, `Dataset`), every byte from the version ``info`` names.
///
/// Its synchronous methods block the calling thread while the requests run (see `Blocking`):
/// call them from the main thread or your own threads, not from Swift concurrency's cooperative
/// threads; the async API (``RemoteDataset``, ``forEachRecord(options:_:)``) does this for you.
/// Every request carries `If-Match` on the ETag, so a rewritten object fails (`.io`, "object
/// changed") instead of mixing versions. Faults are retried by the store (resuming at the exact
/// byte); after the attempts the `TFRecordError` names the object, the offset and the attempts.
public final class RemoteObject: StoredObject {
    /// The object's address, size and ETag.
    public let info: ObjectInfo
    /// The store it is read from.
    public let store: any ObjectStore
    /// Chunking and batching.
    public let options: RemoteReadOptions

    /// The object's address.
    public var name: String { info.address.description }
    /// The object's size.
    public var byteCount: UInt64 { UInt64(info.size) }

    /// An object of known size and ETag (from ``ObjectStore/info(of:)`` or a listing).
    ///
    /// - Parameters:
    ///   - info: The object's address, size and ETag.
    ///   - store: The store holding it.
    ///   - options: Chunking and batching.
    /// - Complexity: O(1); nothing is fetched.
    public init(info: ObjectInfo, store: any ObjectStore, options: RemoteReadOptions = RemoteReadOptions()) {
        self.info = info
        self.store = store
        self.options = options
    }

    /// Exactly the bytes `range`: one ranged GET (resumed at the exact byte after a fault).
    ///
    /// - Throws: `TFRecordError` `.io` naming the object and offset after the retries.
    /// - Complexity: one GET; memory O(range.count). Blocks the calling thread.
    public func bytes(in range: Range<UInt64>) throws(TFRecordError) -> [UInt8] {
        guard !range.isEmpty else { return [] }
        let (store, info) = (store, info)
        return try Blocking.read {
            try await store.read(info.address, range: Int64(range.lowerBound)..<Int64(range.upperBound), ifMatch: info.etag)
        }
    }

    /// Many ranges in few GETs: sorted, neighbours closer than `options.gap` merged, spans of at
    /// most `options.maximumSpan`, at most `options.maximumInFlight` at once.
    ///
    /// - Throws: `TFRecordError` `.io` of the first failed GET.
    /// - Complexity: one GET per planned span. Blocks the calling thread.
    public func bytes(in ranges: [Range<UInt64>]) throws(TFRecordError) -> [[UInt8]] {
        let wanted = ranges.filter { !$0.isEmpty }.map { Int64($0.lowerBound)..<Int64($0.upperBound) }
        guard !wanted.isEmpty else { return ranges.map { _ in [] } }
        let (store, info, options) = (store, info, options)
        let fetched = try Blocking.read {
            try await store.read(info.address, ranges: wanted, ifMatch: info.etag, gap: options.gap,
                                 maximumSpan: options.maximumSpan, maximumInFlight: options.maximumInFlight)
        }
        var next = 0
        return ranges.map { range in
            guard !range.isEmpty else { return [] }
            defer { next += 1 }
            return fetched[next]
        }
    }

    /// The bytes from `offset` on in chunks of `options.chunkSize`, `options.ahead` GETs running
    /// ahead of the reader (``ObjectChunks``).
    ///
    /// - Complexity: O(1); the GETs start at the first `next()`.
    public func chunks(from offset: UInt64) throws(TFRecordError) -> any StoredObjectChunks {
        RemoteChunks(ObjectChunks(store: store, info: info, chunkSize: options.chunkSize, ahead: options.ahead,
                                  start: Int64(min(offset, byteCount))))
    }

    /// Reads every record front to back (any compression, every CRC checked) on a thread of its
    /// own, calling `body` there with each record's number and a copy of its payload.
    ///
    /// - Parameters:
    ///   - options: The core's read options (compression detected when nil).
    ///   - body: Receives each record, on the reading thread.
    /// - Throws: `TFRecordError` for damage (after the records before it) or I/O, or what `body` throws.
    /// - Complexity: one pass; memory ≤ `ahead × chunkSize` plus the decompressor's buffers.
    public func forEachRecord(
        options: ReadOptions = ReadOptions(), _ body: @escaping @Sendable (_ recordNumber: Int, _ payload: [UInt8]) throws -> Void
    ) async throws {
        try await Blocking.onThread {
            let reader = try RecordReader(object: self, options: options)
            try reader.forEachRecord { number, payload in try body(number, payload.withUnsafeBytes { [UInt8]($0) }) }
        }
    }
}
