import TFRecord

/// Where a loader stands: enough to restart a job mid-epoch exactly where it stopped (no record
/// seen twice, none skipped). Small and `Codable`: save it with the model checkpoint.
public struct LoaderPosition: Codable, Sendable, Hashable {
    /// The shuffle seed (nil: the natural order).
    public var seed: UInt64?
    /// The epoch, from 0.
    public var epoch: Int
    /// The position in this worker's order of the epoch of the next record to deliver.
    public var nextIndex: Int

    /// Creates a position.
    public init(seed: UInt64?, epoch: Int, nextIndex: Int) {
        self.seed = seed
        self.epoch = epoch
        self.nextIndex = nextIndex
    }
}
