import ArgumentParser
import TFRecord

extension TFRecordCommand {
    /// `tfrecord cat`: every record of the files, in order.
    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every record, in order.",
            discussion: """
                base64 and hex print one line per record payload.
                Example: tfrecord cat --format base64 data/train.tfrecord
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case base64, hex, raw
        }

        @Argument(help: "TFRecord files.")
        var paths: [String]

        @Option(help: "Output format: base64, hex or raw.")
        var format: Format = .base64

        func run() throws {
            for path in paths {
                let reader = try RecordReader(path: path)
                try reader.forEach { _, payload in
                    try payload.withUnsafeBytes { bytes in
                        switch format {
                        case .base64:
                            try Output.standard.write(Base64.encode(bytes) + "\n")
                        case .hex:
                            try Output.standard.write(Hex.encode(bytes) + "\n")
                        case .raw:
                            try Output.standard.write(bytes: bytes)
                        }
                    }
                }
            }
        }
    }
}
