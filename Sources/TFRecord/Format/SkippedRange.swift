/// Bytes that a reader in recovery mode skipped over because they held no intact record.
///
/// Reported through the reader's `onSkip` handler (leveldb's log reader is the model): the
/// reader resynchronises at the next header whose length CRC and payload CRC both check.
public struct SkippedRange: Sendable, Equatable, CustomStringConvertible {
    /// Offsets in the uncompressed record stream: the damage starts at `lowerBound`, reading
    /// resumed at `upperBound` (the end of the stream when nothing followed).
    public var range: Range<UInt64>
    /// The number the next recovered record gets (records are numbered as they are delivered).
    public var nextRecordNumber: Int
    /// The damage found at `range.lowerBound`.
    public var error: TFRecordError

    /// Creates a report.
    public init(range: Range<UInt64>, nextRecordNumber: Int, error: TFRecordError) {
        self.range = range
        self.nextRecordNumber = nextRecordNumber
        self.error = error
    }

    /// `skipped <n> bytes at <start>..<end>: <error>`.
    public var description: String {
        "skipped \(range.count) byte(s) at \(range.lowerBound)..<\(range.upperBound): \(error)"
    }
}
