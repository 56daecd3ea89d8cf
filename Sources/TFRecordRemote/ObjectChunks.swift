/// An object read front to back in chunks, with ranged GETs running ahead of the consumer: the
/// sequential-read path (a record reader pulls chunks and parses records across their borders).
///
/// At most `ahead` chunks are fetched or held at once, so memory stays below `ahead × chunkSize`
/// however slow the consumer is. Every chunk is read with `If-Match` on the ETag given (normally the
/// one ``ObjectStore/info(of:)`` returned), so all chunks come from one version of the object. Leaving
/// the loop early cancels the GETs still running.
///
/// ```swift
/// let info = try await store.info(of: address)
/// for try await chunk in ObjectChunks(store: store, info: info) { parser.feed(chunk) }
/// ```
public struct ObjectChunks: AsyncSequence, Sendable {
    /// One chunk: its offset in the object and its bytes.
    public typealias Element = (offset: Int64, bytes: [UInt8])

    /// The store read from.
    public let store: any ObjectStore
    /// The object, its size and ETag.
    public let info: ObjectInfo
    /// The chunk size in bytes (the last chunk may be shorter).
    public let chunkSize: Int64
    /// The most chunks in flight or waiting for the consumer.
    public let ahead: Int
    /// The offset of the first chunk (0 unless a read resumes).
    public let start: Int64

    /// Describes a chunked read; nothing is fetched until iteration starts.
    ///
    /// - Parameters:
    ///   - store: The store holding the object.
    ///   - info: The object's address, size and ETag (from ``ObjectStore/info(of:)``).
    ///   - chunkSize: Bytes per GET, at least 1 (default 8 MiB, as the AWS CLI's transfer manager).
    ///   - ahead: GETs running ahead of the consumer, at least 1 (default 4).
    ///   - start: the offset to start from, `0 ... info.size` (default 0).
    /// - Complexity: O(1).
    public init(store: any ObjectStore, info: ObjectInfo, chunkSize: Int64 = 8 << 20, ahead: Int = 4, start: Int64 = 0) {
        precondition(chunkSize >= 1 && ahead >= 1, "chunkSize and ahead must be at least 1")
        precondition(start >= 0 && start <= info.size, "start must lie within the object")
        self.start = start
        self.store = store
        self.info = info
        self.chunkSize = chunkSize
        self.ahead = ahead
    }

    /// Starts the read.
    ///
    /// - Complexity: O(1); the first GETs start at the first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self)
    }

    /// Yields the chunks in order; see ``ObjectChunks``.
    public struct Iterator: AsyncIteratorProtocol {
        private let chunks: ObjectChunks
        private let pending: PendingChunks
        private var nextOffset: Int64 = 0

        init(chunks: ObjectChunks) {
            self.chunks = chunks
            self.pending = PendingChunks()
            nextOffset = chunks.start
        }

        /// The next chunk, or `nil` after the last one.
        ///
        /// - Throws: ``RemoteError`` from the chunk's GET (`changed` when the object was rewritten).
        /// - Complexity: waits for one GET; starts at most `ahead` more.
        public mutating func next() async throws -> Element? {
            while pending.tasks.count < chunks.ahead, nextOffset < chunks.info.size {
                let range = nextOffset..<Swift.min(chunks.info.size, nextOffset + chunks.chunkSize)
                let store = chunks.store
                let info = chunks.info
                pending.tasks.append(Task { try await store.read(info.address, range: range, ifMatch: info.etag) })
                pending.offsets.append(range.lowerBound)
                nextOffset = range.upperBound
            }
            guard !pending.tasks.isEmpty else { return nil }
            let task = pending.tasks.removeFirst()
            let offset = pending.offsets.removeFirst()
            let bytes = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
            return (offset, bytes)
        }
    }
}
