import ArgumentParser
import TFRecord
import TFRecordExample

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


        @Argument(help: "TFRecord files, directories or globs, or object addresses (s3://bucket/key, a prefix ending in /, a glob, gs://, https://).")
        var paths: [String]

        @Option(help: "Output format: base64, hex, raw or json.")
        var format: RecordFormat = .base64

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
            files: for source in try InputSource.expand(paths) {
                if let limit, printed >= limit { break }
                let path = source.name
                let reader = try source.reader(options: options.readOptions(skipCorrupt: skipCorrupt))
                reader.onSkip = { skipped in Diagnostics.warning(skipped.error) }
                var inFile = 0
                while true {
                    if let limit, printed >= limit { break files }
                    let more: Void? = try reader.next { payload in
                        seen += 1
                        inFile += 1
                        guard seen > skip else { return }
                        printed += 1
                        try format.print(payload, recordNumber: inFile - 1, path: path)
                    }
                    if more == nil { break }
                }
            }
        }
    }
}
