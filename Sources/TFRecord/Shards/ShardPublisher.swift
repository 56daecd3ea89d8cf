/// Where a `ShardWriter` publishes finished shards when they do not stay in its local folder:
/// an object store, for example (`TFRecordRemote.ObjectShardPublisher`).
///
/// With a publisher (`ShardWriterOptions.publisher`), `ShardWriterOptions.directory` is a local
/// staging folder: each shard is written and indexed there under a hidden staging name as
/// usual (the index needs the finished file, and a name with `{count}` or `{total}` is known
/// only when the shard or the set is complete), then handed to ``publish(shard:sidecar:as:sidecarName:)``,
/// then its staging files are removed whatever happened. Shards whose name needs `{total}` are
/// published by `finish()`; the others as soon as they are complete, while later shards are
/// still being written.
public protocol ShardPublisher: Sendable {
    /// Where a shard published under `name` is, as reported in `ShardInfo.path`
    /// (`s3://bucket/train/` + name).
    /// - Complexity: O(name).
    func location(of name: String) -> String

    /// Publishes one finished shard: the complete local file `shard` under `name`, then, when
    /// `sidecar` is not nil, its index sidecar (the local file `sidecar`) under `sidecarName`.
    /// The sidecar must not become visible before the shard.
    ///
    /// Called on the shard's worker thread (a Dispatch thread, never Swift concurrency's
    /// cooperative pool), so it may block on network I/O; several shards may be published at
    /// once, from different threads.
    /// - Throws: `TFRecordError` (`.io` naming the destination for a failed upload); the
    ///   shard's name must then hold nothing new (a failed upload is aborted). The writer fails
    ///   with the first such error.
    func publish(shard: String, sidecar: String?, as name: String, sidecarName: String) throws(TFRecordError)
}
