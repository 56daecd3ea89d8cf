import TFRecord

extension RecordWriter {
    /// Appends `example` as one record, in protobuf wire format with keys sorted (what
    /// `example.serialized()` gives, byte for byte what TensorFlow writes for it).
    /// - Parameter example: the example.
    /// - Throws: `TFRecordError.io` when the file cannot be written, `.invalidArgument` after
    ///   `close()`.
    /// - Complexity: O(size of the example): one encoding, then the record is framed.
    public func write(_ example: Example) throws(TFRecordError) {
        try write(example.serialized())
    }

    /// Appends `example` as one record (`example.serialized()`).
    /// - Parameter example: the sequence example.
    /// - Throws: as `write(_:)` for bytes.
    /// - Complexity: O(size of the example).
    public func write(_ example: SequenceExample) throws(TFRecordError) {
        try write(example.serialized())
    }
}
