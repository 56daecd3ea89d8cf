import ArgumentParser
import TFRecord
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord index`: build the index of each shard, as a sidecar or a text index.
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a random-access index of each file.",
            discussion: """
                native (default) writes the checked binary sidecar PATH.tfindex that `get`, `count` and \
                the library use; text writes the `offset framed_length` lines of the PyPI tfrecord \
                package and NVIDIA DALI (tfrecord2idx) to PATH.idx. Prints `<count>\\t<index path>` per file.
                Example: tfrecord index data/ && tfrecord index --format text --output train.idx train.tfrecord
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case native, text
        }

        @Argument(help: "TFRecord files, directories or globs.")
        var paths: [String]

        @Option(help: "Index format: native or text.")
        var format: Format = .native

        @Option(help: "Where to write the index (only with a single input file; - for stdout, text only).")
        var output: String?

        @Flag(help: "Skip payload checksums (length checksums are always checked).")
        var noVerify = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let files = try ShardPaths.expand(paths)
            if output != nil && files.count != 1 {
                throw TFRecordError(.invalidArgument, "--output needs exactly one input file, not \(files.count)")
            }
            if output == "-" && format == .native {
                throw TFRecordError(.invalidArgument, "--output - (stdout) is only for --format text")
            }
            let progress = Progress("index", total: Double(files.count), quiet: quiet)
            defer { progress.finish() }
            var records = 0
            for (n, file) in files.enumerated() {
                progress.update(records: records, done: Double(n))
                let index = try RecordIndex.build(path: file, verifyingChecksums: !noVerify)
                records += index.count
                switch format {
                case .native:
                    let target = output ?? RecordIndex.sidecarPath(for: file)
                    try index.write(to: target)
                    try Output.standard.write("\(index.count)\t\(target)\n")
                case .text:
                    if output == "-" {
                        try Output.standard.write(index.textRepresentation())
                    } else {
                        let target = output ?? file + ".idx"
                        try index.writeText(to: target)
                        try Output.standard.write("\(index.count)\t\(target)\n")
                    }
                }
            }
        }
    }
}
