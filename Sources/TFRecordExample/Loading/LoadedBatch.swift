import TFRecord

/// One batch delivered by an `ExampleLoader`: the parsed columns and where it came from.
public struct LoadedBatch: Sendable {
    /// The columns (`ExampleBatchParser`'s result).
    public let columns: ParsedBatch
    /// The global record numbers of the rows, in order.
    public let recordNumbers: [Int]
    /// The epoch the batch belongs to.
    public let epoch: Int
    /// Rows at the end that repeat records of the epoch to fill the batch (`.pad`), else 0.
    public let padding: Int
    /// The position after this batch: give it to `ExampleLoader(…resumingFrom:)` to continue
    /// with the next batch.
    public let resumePosition: LoaderPosition
}
