import ArgumentParser
import TFRecord
import TFRecordRemote
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

        @Argument(help: "TFRecord files, directories or globs, or object addresses (s3://, gs://, https://; prefixes and globs listed).")
        var paths: [String]

        @Flag(help: "Print one JSON object with the files, their counts and the total.")
        var json = false

        @OptionGroup var options: ReadingOptions

        func run() throws {
            var total = 0
            var counts: [(String, Int)] = []
            var failure: Error?
            let sources = try InputSource.expand(paths)
            let indexed = try RecordCounter.remoteCounts(sources)
            for (k, source) in sources.enumerated() {
                let path = source.name
                do {
                    let count = try indexed[k] ?? RecordCounter.count(source, options: options.readOptions(verifyingChecksums: false))
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
        return try scan(RecordReader(path: path, options: options))
    }

    /// The number of records of `source`: a local file as `count(path:options:)`; a remote
    /// object without a sidecar by reading all of it (with a warning naming `tfrecord index`).
    static func count(_ source: InputSource, options: ReadOptions) throws -> Int {
        guard let object = source.object else { return try count(path: source.name, options: options) }
        Diagnostics.line("\(object.name): warning: no index; counting by reading the whole object (`tfrecord index \(object.name)` makes counting read only the index)")
        return try scan(RecordReader(object: object, options: options))
    }

    /// The counts of the remote sources from their sidecars alone (nil for local files and
    /// objects without a sidecar); each listing's shards are counted 16 at a time.
    static func remoteCounts(_ sources: [InputSource]) throws -> [Int?] {
        var counts = [Int?](repeating: nil, count: sources.count)
        var k = 0
        while k < sources.count {
            guard case .object(let shards, _) = sources[k] else { k += 1; continue }
            let cache = RemoteAccess.cache
            let found = try RemoteAccess.wait { try await RemoteDataset.recordCounts(shards, cache: cache) }
            for (j, entry) in found.enumerated() { counts[k + j] = entry?.1 }
            k += shards.objects.count
        }
        return counts
    }

    private static func scan(_ reader: RecordReader) throws -> Int {
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
