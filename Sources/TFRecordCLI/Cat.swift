import ArgumentParser
import TFRecord

extension TFRecordCommand {
    /// `tfrecord cat`: every record of the files, in order.
    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every record, in order.",
            discussion: """
                base64 and hex print one line per record payload. json prints one line per record:
                the tf.train.Example (or SequenceExample, detected by its feature_lists field) in
                protobuf's canonical JSON mapping; a record that is neither is an error.
                Example: tfrecord cat --format json data/train.tfrecord
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case base64, hex, raw, json
        }

        @Argument(help: "TFRecord files.")
        var paths: [String]

        @Option(help: "Output format: base64, hex, raw or json.")
        var format: Format = .base64

        func run() throws {
            for path in paths {
                let reader = try RecordReader(path: path)
                try reader.forEach { recordNumber, payload in
                    if format == .json {
                        try Output.standard.write(try Self.json(payload, recordNumber: recordNumber, path: path) + "\n")
                        return
                    }
                    try payload.withUnsafeBytes { bytes in
                        switch format {
                        case .base64:
                            try Output.standard.write(Base64.encode(bytes) + "\n")
                        case .hex:
                            try Output.standard.write(Hex.encode(bytes) + "\n")
                        case .raw:
                            try Output.standard.write(bytes: bytes)
                        case .json:
                            break
                        }
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
}
