import TFRecord

/// How an `ExampleLoader` batches, shuffles, shares and prefetches.
public struct LoaderOptions: Sendable {
    /// What to do with the last records of an epoch when they do not fill a batch.
    public enum Remainder: Sendable, Hashable {
        /// Leave them out of the epoch (every batch is full).
        case dropLast
        /// Deliver a smaller last batch.
        case partial
        /// Fill the last batch with the epoch's first records again; `LoadedBatch.padding`
        /// says how many rows at its end are such repeats.
        case pad
    }

    /// Records per batch, at least 1.
    public var batchSize: Int
    /// The shuffle seed (the same on every worker), or nil for the natural order. Each epoch
    /// is shuffled differently, as a function of the seed and the epoch.
    public var seed: UInt64?
    /// This worker's number, `0 ..< workers`.
    public var worker = 0
    /// How many workers share each epoch (disjoint parts, together every record once).
    public var workers = 1
    /// What to do with an epoch's last partial batch.
    public var remainder = Remainder.partial
    /// How many epochs to deliver (nil: until the consumer stops).
    public var epochs: Int? = 1
    /// Batches read and parsed ahead of the consumer, at least 1: also the number of batches
    /// parsed at once (on Swift's concurrent pool, itself bounded by the cores). Memory: up to
    /// `prefetch + 1` parsed batches.
    public var prefetch = 4
    /// Check each record's payload CRC.
    public var verifyingChecksums = true

    /// Options for batches of `batchSize`, shuffled with `seed` when given.
    public init(batchSize: Int, seed: UInt64? = nil) {
        self.batchSize = batchSize
        self.seed = seed
    }
}
