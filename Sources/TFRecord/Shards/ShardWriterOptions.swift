import Dispatch
import Synchronization
/// Options of a `ShardWriter`.
public struct ShardWriterOptions: Sendable {
    /// The folder the shards go to (created if missing).
    public var directory: String
    /// The `{prefix}` of shard names.
    public var prefix: String
    /// How shards are named.
    public var nameTemplate: ShardNameTemplate
    /// Records per shard (the tutorial's 4096), or nil to cut by `bytesPerShard` only.
    public var recordsPerShard: Int?
    /// Uncompressed bytes per shard (a shard ends after the record that reaches it), or nil.
    public var bytesPerShard: Int?
    /// Compression and buffering of each shard. Shards are always fsynced and renamed into
    /// place whole, whatever `atomic` and `sync` say here.
    public var write: WriteOptions
    /// Shards written (and compressed) at the same time, on their own threads.
    public var parallelShards: Int
    /// Write each shard's index sidecar (`<shard>.tfindex`) in the same pass, from the offsets
    /// the writer already knows (no second read).
    public var writeIndex: Bool
    /// Where finished shards go when not to `directory`: with a publisher, `directory` is a
    /// local staging folder, each shard (and sidecar) is handed to the publisher when complete
    /// and removed locally afterwards, and `ShardInfo.path` is the publisher's location. Staging
    /// files are not `fsync`ed then (nothing is published from them after a crash). nil (the
    /// default): shards are renamed into place in `directory`.
    public var publisher: (any ShardPublisher)?

    /// Options for shards of `recordsPerShard` records in `directory`, TFDS naming, uncompressed.
    public init(directory: String, prefix: String = "data", nameTemplate: ShardNameTemplate = .tfds,
                recordsPerShard: Int? = 4096, bytesPerShard: Int? = nil, write: WriteOptions = WriteOptions(),
                parallelShards: Int = ShardWriterOptions.processorCount, writeIndex: Bool = true) {
        self.writeIndex = writeIndex
        self.directory = directory
        self.prefix = prefix
        self.nameTemplate = nameTemplate
        self.recordsPerShard = recordsPerShard
        self.bytesPerShard = bytesPerShard
        self.write = write
        self.parallelShards = parallelShards
    }
}

extension ShardWriterOptions {
    /// The number of online processors (the default for `parallelShards`).
    public static var processorCount: Int { onlineProcessors() }
}
