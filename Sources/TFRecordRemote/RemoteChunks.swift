import TFRecord

/// The `StoredObjectChunks` of a ``RemoteObject``: an ``ObjectChunks`` iterator driven from a
/// synchronous reader. Its GETs keep running ahead between calls; dropping it cancels them.
final class RemoteChunks: StoredObjectChunks {
    /// The iterator, touched by one waiting task at a time (the reader is blocked meanwhile).
    private final class Box: @unchecked Sendable {
        var iterator: ObjectChunks.Iterator
        init(_ iterator: ObjectChunks.Iterator) { self.iterator = iterator }
        func next() async throws -> [UInt8]? { try await iterator.next()?.bytes }
    }

    private let box: Box

    init(_ chunks: ObjectChunks) {
        box = Box(chunks.makeAsyncIterator())
    }

    func next() throws(TFRecordError) -> [UInt8]? {
        let box = self.box
        return try Blocking.read { try await box.next() }
    }
}
