import TFRecord

extension ShardWriter {
    /// Appends `example` as one record of the current shard (`example.serialized()`), starting
    /// a new shard when it is full.
    /// - Parameter example: the example.
    /// - Throws: `TFRecordError` from a shard already being written (e.g. disk full).
    /// - Complexity: O(size of the example).
    public func write(_ example: Example) throws(TFRecordError) {
        try write(example.serialized())
    }

    /// Appends `example` as one record of the current shard (`example.serialized()`).
    /// - Parameter example: the sequence example.
    /// - Throws: as `write(_:)` for bytes.
    /// - Complexity: O(size of the example).
    public func write(_ example: SequenceExample) throws(TFRecordError) {
        try write(example.serialized())
    }
}
