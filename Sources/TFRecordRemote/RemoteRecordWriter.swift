import Dispatch
import TFRecord

/// Writes one TFRecord object to S3 from async code: the core's `RecordWriter` (same bytes as a
/// local file, any compression) over an ``ObjectUploadSink``, completed by ``close()``.
///
/// ```swift
/// let writer = try RemoteRecordWriter(client: client, address: ObjectAddress("s3://bucket/train.tfrecord.gz"),
///                                     options: WriteOptions(compression: .gzip))
/// for record in records { try await writer.write(record) }
/// try await writer.close()          // the object appears now; on an error: await writer.abandon()
/// ```
///
/// Unlike a local `RecordWriter`, which a dropped writer closes (keeping what was written), a
/// `RemoteRecordWriter` dropped without ``close()`` is abandoned: only a closed writer publishes.
///
/// The synchronous writer runs on the writer's own serial Dispatch queue, never on Swift
/// concurrency's cooperative pool: there it may block while parts are in flight, which a pool
/// thread must never do. Each call hops to that queue once, so give several records to
/// ``write(contentsOf:)`` when they are small.
public final class RemoteRecordWriter: Sendable {
    /// The object being written.
    public let address: ObjectAddress
    private let queue: DispatchQueue
    /// The synchronous writer, touched only on `queue`.
    private let confined: QueueConfinedWriter

    /// Prepares the upload; nothing is sent before the first part is full.
    /// - Parameters:
    ///   - client: the client (its part size, parts in flight and retries are used).
    ///   - address: an `s3://bucket/key` address.
    ///   - options: compression and buffering (`atomic`, `sync` and `writesInBackground` are
    ///     about local files and are not used).
    /// - Throws: `TFRecordError.invalidArgument` for another scheme or options the compressor refuses.
    /// - Complexity: O(`options.bufferSize`).
    public init(client: RemoteClient, address: ObjectAddress, options: WriteOptions = WriteOptions()) throws(TFRecordError) {
        self.address = address
        queue = DispatchQueue(label: "tfrecord.remote-writer")
        confined = QueueConfinedWriter(
            try RecordWriter(sink: try ObjectUploadSink(client: client, address: address), name: address.description, options: options))
    }

    /// A writer dropped without ``close()`` is abandoned (on its queue): no object appears.
    deinit {
        let confined = self.confined
        queue.async { confined.writer.abandon() }
    }

    /// Records written so far.
    public var recordCount: Int {
        get async { await perform { $0.recordCount } }
    }

    /// Appends one record.
    /// - Throws: `TFRecordError` (`.io` naming the address when an upload fails: the upload is aborted).
    /// - Complexity: one hop to the writer's queue; a full part waits for a free slot.
    public func write(_ payload: [UInt8]) async throws(TFRecordError) {
        try await performThrowing { writer throws(TFRecordError) in try writer.write(payload) }
    }

    /// Appends records in order, with one hop to the writer's queue.
    /// - Throws: as ``write(_:)``.
    public func write(contentsOf payloads: [[UInt8]]) async throws(TFRecordError) {
        try await performThrowing { writer throws(TFRecordError) in
            for payload in payloads { try writer.write(payload) }
        }
    }

    /// Finishes the stream and completes the upload: the object appears now.
    /// - Throws: `TFRecordError` (the upload is then aborted: no object under the address).
    public func close() async throws(TFRecordError) {
        try await performThrowing { writer throws(TFRecordError) in try writer.close() }
    }

    /// Aborts the upload: no object appears, the parts sent are deleted.
    public func abandon() async {
        await perform { $0.abandon() }
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable (RecordWriter) -> T) async -> T {
        let confined = self.confined
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body(confined.writer)) }
        }
    }

    private func performThrowing(_ body: @escaping @Sendable (RecordWriter) throws(TFRecordError) -> Void) async throws(TFRecordError) {
        let failure: TFRecordError? = await perform { writer in
            do throws(TFRecordError) {
                try body(writer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}

/// The writer of a ``RemoteRecordWriter``, handed between tasks but used only on the
/// writer's serial queue (that is what makes the unchecked `Sendable` true).
private final class QueueConfinedWriter: @unchecked Sendable {
    let writer: RecordWriter

    init(_ writer: RecordWriter) { self.writer = writer }
}
