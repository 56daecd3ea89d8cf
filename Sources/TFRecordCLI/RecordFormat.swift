import ArgumentParser
import TFRecord
import TFRecordExample

/// How `cat` and `get` print a record.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
    case base64, hex, raw, json

    /// Prints one record's payload: a line for base64, hex and json, the bytes for raw. The text
    /// is written in pieces of about 64 KiB as it is made, never built whole: a record of
    /// hundreds of MB costs its payload (and, for json, its decoded Example), not its text.
    /// - Throws: `TFRecordError.corrupted` naming the file and record when json is asked for a
    ///   record that is neither an Example nor a SequenceExample; output errors.
    func print(_ payload: RawSpan, recordNumber: Int, path: String) throws {
        switch self {
        case .json:
            try RecordFormat.writeJSON(payload, recordNumber: recordNumber, path: path)
            try Output.standard.write("\n")
        case .base64, .hex, .raw:
            try payload.withUnsafeBytes { bytes in
                switch self {
                case .base64: try RecordFormat.writeInPieces(bytes, step: 48 << 10, Base64.encode)
                case .hex: try RecordFormat.writeInPieces(bytes, step: 32 << 10, Hex.encode)
                default: try Output.standard.write(bytes: bytes)
                }
            }
            if self != .raw { try Output.standard.write("\n") }
        }
    }

    /// Writes `encode` of `bytes` taken `step` bytes at a time (`step` a multiple of 3 for
    /// base64, so the pieces join into the encoding of the whole).
    private static func writeInPieces(_ bytes: UnsafeRawBufferPointer, step: Int,
                                      _ encode: (UnsafeRawBufferPointer) -> String) throws(TFRecordError) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + step)
            try Output.standard.write(encode(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
            start = end
        }
    }

    /// Writes one record as JSON (no newline), in pieces; a record that is not an Example or
    /// SequenceExample is a `.corrupted` error naming the file, the record and the byte offset
    /// inside it, and nothing is written.
    static func writeJSON(_ payload: RawSpan, recordNumber: Int, path: String) throws(TFRecordError) {
        var failure: TFRecordError?
        let sink = { (piece: String) in
            guard failure == nil else { return }
            do throws(TFRecordError) { try Output.standard.write(piece) } catch { failure = error }
        }
        do throws(ExampleError) {
            switch try ExampleRecords.detect(payload) {
            case .example:
                ExampleJSON.write(try Example(serialized: payload), style: .compact, to: sink)
            case .sequenceExample:
                ExampleJSON.write(try SequenceExample(serialized: payload), style: .compact, to: sink)
            }
        } catch {
            throw TFRecordError(.corrupted, "not a tf.train.Example or SequenceExample: \(error); use --format base64, hex or raw",
                                path: path, recordNumber: recordNumber)
        }
        if let failure { throw failure }
    }
}
