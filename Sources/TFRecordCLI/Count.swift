import ArgumentParser
import TFRecord

extension TFRecordCommand {
    /// `tfrecord count`: records per file and in total.
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the records of each file.",
            discussion: """
                Prints `<count>\\t<path>` per file and `<total>\\ttotal` when there are several.
                Example: tfrecord count data/train-*.tfrecord
                """
        )

        @Argument(help: "TFRecord files.")
        var paths: [String]

        func run() throws {
            var total = 0
            for path in paths {
                var count = 0
                if let indexed = IndexedRecordFile.indexedCount(ofShardAt: path) {
                    count = indexed
                } else {
                    let reader = try RecordReader(path: path, options: ReadOptions(verifyChecksums: false))
                    try reader.forEach { _, _ in count += 1 }
                }
                total += count
                try Output.standard.write("\(count)\t\(path)\n")
            }
            if paths.count > 1 {
                try Output.standard.write("\(total)\ttotal\n")
            }
        }
    }
}
