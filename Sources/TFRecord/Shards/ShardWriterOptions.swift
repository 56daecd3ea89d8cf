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
