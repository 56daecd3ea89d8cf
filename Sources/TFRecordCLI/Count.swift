import ArgumentParser
import TFRecord
import TFRecordExample
extension TFRecordCommand {
    /// `tfrecord count`: records per file and in total.
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the records of each file.",
            discussion: """
                Prints `<count>\\t<path>` per file and `<total>\\ttotal` when there are several; \
                --json prints one JSON object. Length checksums are checked; payloads are not \
                read (use `verify` for that).
                Example: tfrecord count data/train-*.tfrecord
                """
        )

        @Argument(help: "TFRecord files, directories or globs.")
        var paths: [String]

        @Flag(help: "Print one JSON object with the files, their counts and the total.")
        var json = false

        @OptionGroup var options: ReadingOptions

        func run() throws {
            var total = 0
            var counts: [(String, Int)] = []
            var failure: Error?
            for path in try InputPaths.expand(paths) {
                do {
                    let count = try RecordCounter.count(path: path, options: options.readOptions(verifyingChecksums: false))
                    counts.append((path, count))
                    total += count
                    if !json { try Output.standard.write("\(count)\t\(path)\n") }
                } catch let error as TFRecordError where error.kind != .io || error.errno != SystemCalls.Code.brokenPipe {
                    Diagnostics.error(error)
                    failure = CommandRunner.exitCode(for: error) == .damaged ? DamageFound() : ReportedFailure(error: error)
                }
            }
            if json {
                let files = counts.map { "{\"path\":\(JSONText.quote($0.0)),\"count\":\($0.1)}" }.joined(separator: ",")
                try Output.standard.write("{\"files\":[\(files)],\"total\":\(total)}\n")
            } else if counts.count > 1 {
                try Output.standard.write("\(total)\ttotal\n")
            }
            if let failure { throw failure }
        }
    }
}

/// Counts records the fastest way available for a file.
enum RecordCounter {
    /// The number of records in `path`: from a valid index sidecar without a scan, else one
    /// pass over the headers that never buffers a payload (`RecordReader.forEachRecordSize`:
    /// memory stays at the read chunk whatever a header claims).
    static func count(path: String, options: ReadOptions) throws -> Int {
        if let indexed = RecordFile.indexedCount(ofShardAt: path) { return indexed }
        let reader = try RecordReader(path: path, options: options)
        var count = 0
        try reader.forEachRecordSize { _, _ in count += 1 }
        return count
    }
}

/// JSON string quoting for the CLI's small JSON outputs.
enum JSONText {
    /// `text` as a JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
