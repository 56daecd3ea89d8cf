/// The bytes of a shard that is not a local file — an object in S3, on an HTTP server — read by
/// position: the core's hook for storage it does not know.
///
/// `RecordReader(object:)` reads one front to back (any compression), `RecordFile(object:index:)`
/// by record number through an index (uncompressed, or GZIP/ZLIB through its inflate checkpoints),
/// `Dataset(shards:)` many as one, and `RecordIndex.build(object:)` indexes one. The core checks
/// every byte it is given (CRCs, framing, the index's offsets), so an implementation only has to
/// return the bytes asked for or throw.
///
/// Implementations are synchronous (they may block the calling thread while a network read
/// completes) and `Sendable`: `RecordFile` and `Dataset` read from many threads at once. Errors are
/// `TFRecordError`s naming `name` (an I/O failure is `.io`: the CLI's exit code 3).
public protocol StoredObject: AnyObject, Sendable {
    /// The object's name in messages (for example `s3://bucket/train-00000-of-00004`).
    var name: String { get }

    /// The object's size in bytes; fixed for the life of the value.
    var byteCount: UInt64 { get }

    /// Exactly the bytes in `range`, which lies within `0 ..< byteCount`.
    /// - Parameter range: the byte offsets to read (may be empty).
    /// - Returns: `range.count` bytes — never fewer.
    /// - Throws: `TFRecordError` (`.io`) naming the object and the offset when they cannot be read.
    /// - Complexity: one request (for a remote object); memory O(range.count).
    func bytes(in range: Range<UInt64>) throws(TFRecordError) -> [UInt8]

    /// The bytes of many ranges at once (a batch of records): an implementation may sort, merge
    /// and fetch them in parallel. The default reads them one at a time.
    /// - Parameter ranges: ranges within `0 ..< byteCount`, any order, overlaps allowed.
    /// - Returns: `result[i].count == ranges[i].count`.
    /// - Throws: `TFRecordError` (`.io`) for the first range that cannot be read.
    func bytes(in ranges: [Range<UInt64>]) throws(TFRecordError) -> [[UInt8]]

    /// The bytes from `offset` to the end, in pieces, for a front-to-back read: an implementation
    /// may fetch pieces ahead of the reader (bounded memory). The default reads 8 MiB at a time
    /// with `bytes(in:)` when asked.
    /// - Parameter offset: where to start, `<= byteCount`.
    /// - Returns: the pieces, in order, covering exactly `offset ..< byteCount`.
    /// - Throws: `TFRecordError` (`.io`) when the read cannot start.
    func chunks(from offset: UInt64) throws(TFRecordError) -> any StoredObjectChunks
}

extension StoredObject {
    /// Reads the ranges one at a time with `bytes(in:)`.
    public func bytes(in ranges: [Range<UInt64>]) throws(TFRecordError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(ranges.count)
        for range in ranges { result.append(try bytes(in: range)) }
        return result
    }

    /// Pieces of 8 MiB read with `bytes(in:)` as the reader asks for them (no read-ahead).
    public func chunks(from offset: UInt64) throws(TFRecordError) -> any StoredObjectChunks {
        SerialObjectChunks(object: self, offset: offset, chunkSize: 8 << 20)
    }
}
