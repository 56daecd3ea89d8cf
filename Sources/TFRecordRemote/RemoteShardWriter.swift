import Dispatch
import TFRecord

/// Writes shards to S3 from async code: the core's `ShardWriter` with an ``ObjectShardPublisher``
/// (each shard staged in a local folder, uploaded whole by a multipart upload, then its sidecar).
///
/// ```swift
/// let writer = try RemoteShardWriter(client: client, prefix: ObjectAddress("s3://bucket/train/"),
///                                    options: ShardWriterOptions(directory: stagingFolder, recordsPerShard: 4096))
/// try await writer.write(contentsOf: records)
/// let shards = try await writer.finish()        // s3://bucket/train/data-00000-of-000NN.tfrecord, ...
/// ```
///
/// The synchronous writer runs on this writer's own serial Dispatch queue (it blocks while shards
/// are compressed and uploaded), never on Swift concurrency's cooperative pool. A writer dropped
/// without ``finish()`` is abandoned: shards not yet published are never uploaded.
public final class RemoteShardWriter: Sendable {
    /// Where the shards go.
    public let prefix: ObjectAddress
    private let queue = DispatchQueue(label: "tfrecord.remote-shard-writer")
    private let confined: QueueConfinedShardWriter

    /// Prepares the writer; `options.directory` is the local staging folder (created if missing)
    /// and `options.publisher` is replaced by an ``ObjectShardPublisher`` into `prefix`.
    /// - Throws: `TFRecordError.invalidArgument` for another scheme or invalid options, `.io`
    ///   when the staging folder cannot be created.
    /// - Complexity: O(1).
    public init(client: RemoteClient, prefix: ObjectAddress, options: ShardWriterOptions) throws(TFRecordError) {
        var options = options
        let publisher = try ObjectShardPublisher(client: client, prefix: prefix)
        options.publisher = publisher
        self.prefix = publisher.prefix
        confined = QueueConfinedShardWriter(try ShardWriter(options: options))
    }

    deinit {
        let confined = self.confined
        queue.async { confined.writer.abandon() }
    }

    /// Appends one record.
    /// - Throws: `TFRecordError` from a shard already being written or uploaded.
    public func write(_ payload: [UInt8]) async throws(TFRecordError) {
        try await write(contentsOf: [payload])
    }

    /// Appends records in order, with one hop to the writer's queue.
    /// - Throws: as ``write(_:)``.
    public func write(contentsOf payloads: [[UInt8]]) async throws(TFRecordError) {
        let confined = self.confined
        let failure: TFRecordError? = await withCheckedContinuation { continuation in
            queue.async {
                do throws(TFRecordError) {
                    for payload in payloads { try confined.writer.write(payload) }
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let failure { throw failure }
    }

    /// Finishes the last shard and waits until every shard and sidecar is uploaded.
    /// - Returns: the shards in order, with their `s3://` locations.
    /// - Throws: the first `TFRecordError` of any shard (its upload aborted).
    public func finish() async throws(TFRecordError) -> [ShardInfo] {
        let confined = self.confined
        let result: Result<[ShardInfo], TFRecordError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(TFRecordError) {
                    continuation.resume(returning: .success(try confined.writer.finish()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Stops: shards not yet published are never uploaded; staging files are removed.
    public func abandon() async {
        let confined = self.confined
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                confined.writer.abandon()
                continuation.resume()
            }
        }
    }
}

/// The `ShardWriter` of a ``RemoteShardWriter``, used only on its serial queue (that is what
/// makes the unchecked `Sendable` true).
private final class QueueConfinedShardWriter: @unchecked Sendable {
    let writer: ShardWriter

    init(_ writer: ShardWriter) { self.writer = writer }
}
