import ArgumentParser
import TFRecord

extension TFRecordCommand {
    /// `tfrecord cat`: every record of the files, in order.
    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every record, in order.",
            discussion: """
                base64 and hex print one line per record payload; raw writes the payloads \
                concatenated (for piping one record); json prints one line per record, the \
                tf.train.Example (or SequenceExample, detected by its feature_lists field) in \
                protobuf's canonical JSON mapping, and a record that is neither is an error. \
                --skip and --limit count records across \
                all the files. With --skip-corrupt, damaged bytes are skipped and reported on \
                stderr as warnings.
                Example: tfrecord cat --format base64 --limit 10 data/train.tfrecord
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case base64, hex, raw, json
        }

        @Argument(help: "TFRecord files, directories or globs.")
        var paths: [String]

        @Option(help: "Output format: base64, hex, raw or json.")
        var format: Format = .base64

        @Option(help: "Records to skip first.")
        var skip: Int = 0

        @Option(help: "Most records to print.")
        var limit: Int?

        @Flag(help: "Skip damaged bytes and go on with the next intact record.")
        var skipCorrupt = false

        @OptionGroup var options: ReadingOptions

        func validate() throws {
            guard skip >= 0 else { throw ValidationError("--skip must be >= 0") }
            if let limit, limit < 0 { throw ValidationError("--limit must be >= 0") }
        }

        func run() throws {
            var seen = 0
            var printed = 0
            files: for path in try InputPaths.expand(paths) {
                if let limit, printed >= limit { break }
                let reader = try RecordReader(path: path, options: options.readOptions(skipCorrupt: skipCorrupt))
                reader.onSkip = { skipped in Diagnostics.warning(skipped.error) }
                var inFile = 0
                while true {
                    if let limit, printed >= limit { break files }
                    let more: Void? = try reader.next { payload in
                        seen += 1
                        inFile += 1
                        guard seen > skip else { return }
                        printed += 1
                        if format == .json {
                            try Output.standard.write(try Self.json(payload, recordNumber: inFile - 1, path: path) + "\n")
                            return
                        }
                        try payload.withUnsafeBytes { bytes in try write(bytes) }
                    }
                    if more == nil { break }
                }
            }
        }

        private func write(_ bytes: UnsafeRawBufferPointer) throws {
            switch format {
            case .base64: try Output.standard.write(Base64.encode(bytes) + "\n")
            case .hex: try Output.standard.write(Hex.encode(bytes) + "\n")
            case .raw: try Output.standard.write(bytes: bytes)
            case .json: break
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
