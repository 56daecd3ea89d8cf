import ArgumentParser
import TFRecord
import TFRecordExample

/// How `cat` and `get` print a record.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
    case base64, hex, raw, json

    /// Prints one record's payload: a line for base64, hex and json, the bytes for raw.
    /// - Throws: `TFRecordError.corrupted` naming the file and record when json is asked for a
    ///   record that is neither an Example nor a SequenceExample; output errors.
    func print(_ payload: RawSpan, recordNumber: Int, path: String) throws {
        switch self {
        case .json:
            try Output.standard.write(try RecordFormat.json(payload, recordNumber: recordNumber, path: path) + "\n")
        case .base64, .hex, .raw:
            try payload.withUnsafeBytes { bytes in
                switch self {
                case .base64: try Output.standard.write(Base64.encode(bytes) + "\n")
                case .hex: try Output.standard.write(Hex.encode(bytes) + "\n")
                default: try Output.standard.write(bytes: bytes)
                }
            }
        }
    }

    /// One record as a line of JSON; a record that is not an Example or SequenceExample is a
    /// `.corrupted` error naming the file, the record and the byte offset inside it.
    static func json(_ payload: RawSpan, recordNumber: Int, path: String) throws(TFRecordError) -> String {
        do throws(ExampleError) {
            switch try ExampleRecords.detect(payload) {
            case .example:
                return try Example(serialized: payload).jsonString(style: .compact)
            case .sequenceExample:
                return try SequenceExample(serialized: payload).jsonString(style: .compact)
            }
        } catch {
            throw TFRecordError(.corrupted, "not a tf.train.Example or SequenceExample: \(error); use --format base64, hex or raw",
                                path: path, recordNumber: recordNumber)
        }
    }
}
