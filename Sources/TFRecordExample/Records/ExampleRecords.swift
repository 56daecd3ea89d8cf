import TFRecord
/// Reading whole files of `Example` / `SequenceExample` records, any compression.
public enum ExampleRecords {
    /// Which message a record holds.
    public enum Message: String, Sendable, CaseIterable {
        /// `tf.train.Example`.
        case example
        /// `tf.train.SequenceExample`.
        case sequenceExample = "sequence-example"
    }

    /// Tells a `SequenceExample` from an `Example`: a record whose top level has a
    /// `feature_lists` field (number 2, length-delimited) is a SequenceExample; any other
    /// record is read as an Example (the two share field 1, `features` / `context`, so a
    /// SequenceExample with no feature lists reads as an Example with the same features).
    /// - Parameter payload: the record.
    /// - Returns: the message the record holds.
    /// - Throws: `ExampleError.malformed` when the top level is not wire format.
    public static func detect(_ payload: RawSpan) throws(ExampleError) -> Message {
        try withBytes(payload) { bytes throws(ExampleError) in
            var reader = WireReader(bytes)
            var message = Message.example
            while !reader.atEnd {
                let tagOffset = reader.position
                let (field, wire) = try reader.readTag()
                if field == 2 && wire == WireReader.len { message = .sequenceExample }
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
            return message
        }
    }

    /// Decodes every record of the file at `path` (any compression) as an `Example`.
    /// - Parameters:
    ///   - path: the TFRecord file.
    ///   - body: receives each record's number and example.
    /// - Throws: `TFRecordError` for framing or I/O damage; `ExampleError` naming the file,
    ///   record and byte offset for a record that is not an Example; what `body` throws.
    public static func forEachExample(path: String, _ body: (_ recordNumber: Int, _ example: Example) throws -> Void) throws {
        let reader = try RecordReader(path: path)
        try reader.forEachRecord { recordNumber, payload in
            let example: Example
            do throws(ExampleError) {
                example = try Example(serialized: payload)
            } catch {
                throw error.at(recordNumber: recordNumber, path: path)
            }
            try body(recordNumber, example)
        }
    }

    /// Decodes every record of the file at `path` (any compression) as a `SequenceExample`.
    /// - Parameters:
    ///   - path: the TFRecord file.
    ///   - body: receives each record's number and sequence example.
    /// - Throws: as `forEachExample(path:_:)`.
    public static func forEachSequenceExample(path: String,
                                              _ body: (_ recordNumber: Int, _ example: SequenceExample) throws -> Void) throws {
        let reader = try RecordReader(path: path)
        try reader.forEachRecord { recordNumber, payload in
            let example: SequenceExample
            do throws(ExampleError) {
                example = try SequenceExample(serialized: payload)
            } catch {
                throw error.at(recordNumber: recordNumber, path: path)
            }
            try body(recordNumber, example)
        }
    }
}
