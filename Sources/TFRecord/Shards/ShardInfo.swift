import Dispatch
import Synchronization
/// One finished shard.
public struct ShardInfo: Sendable, Equatable {
    /// The shard's final path.
    public var path: String
    /// Records in the shard.
    public var recordCount: Int
    /// The header offset of each record in the uncompressed stream (what the index holds).
    public var recordOffsets: [UInt64]
}
