import ArgumentParser
import TFRecord
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord import`: JSON Lines or COCO annotation JSON to shards of tf.train.Examples.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import JSON Lines, a JSON array or COCO annotation JSON into shards of tf.train.Example records.",
            discussion: """
                Numbers become int64 or float features, lists become lists, strings become bytes, \
                nested objects become `parent/child` features; the --file-field holds a path \
                (relative to --root) that is replaced by the file's bytes, or with \
                --file-field path:image kept as a string while the bytes become `image`; a path \
                that resolves, links included, outside --root (or to anything but a regular file) \
                is an error naming the record (exit 1) unless --allow-outside-root. A JSON array \
                input gives one record per element. A feature whose kind changes between records \
                is an error, and so is a number that would change when stored or a feature name \
                given twice (exit 1). Shards are written under hidden names, fsynced and renamed \
                into place, each with its index sidecar; a non-empty --output is refused unless \
                --overwrite or --append (with a new --prefix).
                Example: tfrecord import annotations.json --output shards/ --file-field image --root images/ --compression gzip
                """
        )

        enum InputFormat: String, ExpressibleByArgument, CaseIterable {
            case auto, jsonl, coco
            case jsonArray = "json-array"
        }

        @Argument(help: "The JSON Lines, JSON array or COCO annotation file.")
        var input: String

        @Option(help: "The folder the shards go to.")
        var output: String

        @Option(help: "Input format: auto, jsonl, json-array or coco.")
        var format: InputFormat = .auto

        @Option(help: "Records per shard.")
        var recordsPerShard: Int?

        @Option(help: "Uncompressed bytes per shard (e.g. 256M).")
        var shardSize: String?

        @Option(help: "Shard name template: {prefix}, {shard:05}, {total:05}, {count}.")
        var name: String = ShardNameTemplate.tfds.pattern

        @Option(help: "The {prefix} of shard names.")
        var prefix: String = "data"

        @Option(help: "Compression: none, gzip, zlib or lz4.")
        var compression: CompressionOption = .none

        @OptionGroup var writing: WritingOptions

        @Option(help: "A field holding a file path whose bytes become the feature (COCO: default image); FIELD:FEATURE keeps the path and adds the bytes as FEATURE.")
        var fileField: String?

        @Option(help: "The folder file paths are relative to.")
        var root: String = "."

        @Flag(help: "Accept --file-field paths that resolve (links included) outside --root.")
        var allowOutsideRoot = false

        @Option(help: "A number that fits no int64/float32: error (default) or bytes (its JSON text).")
        var unfitNumbers: UnfitNumbersOption = .error

        enum UnfitNumbersOption: String, ExpressibleByArgument, CaseIterable {
            case error, bytes
        }

        @Option(help: "Shards written at the same time (default: every core).")
        var shards: Int?

        @Flag(help: "Write into a non-empty --output folder, replacing files of the same names.")
        var overwrite = false

        @Flag(help: "Add a shard set to a non-empty --output folder (its --prefix must be new there).")
        var append = false

        @Option(help: "Most bytes of JSON held in memory at once: one line, one array element, or a whole COCO file (e.g. 2G; default 1G).")
        var maxJSONSize: String?

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            if overwrite && append {
                throw ValidationError("give --overwrite or --append, not both")
            }
            if recordsPerShard == nil && shardSize == nil {
                throw ValidationError("give --records-per-shard or --shard-size")
            }
            if let shardSize, WritingOptions.parseSize(shardSize) == nil {
                throw ValidationError("--shard-size: '\(shardSize)' is not a size")
            }
            if let maxJSONSize, (WritingOptions.parseSize(maxJSONSize) ?? 0) <= 0 {
                throw ValidationError("--max-json-size: '\(maxJSONSize)' is not a size")
            }
            guard let target = compression.compression else {
                throw ValidationError("--compression must be none, gzip, zlib or lz4")
            }
            try writing.validate(for: target)
        }

        /// Refuses a non-empty output folder (two imports would mix their shard sets without a
        /// word) unless --overwrite, or --append with a prefix no file there starts with.
        func checkOutputFolder() throws(TFRecordError) {
            guard let status = try SystemCalls.statusIfExists(path: output), status.isDirectory else { return }
            let visible = try SystemCalls.directoryEntries(output).map(\.name).filter { !$0.hasPrefix(".") }
            guard !visible.isEmpty, !overwrite else { return }
            if append {
                if let clash = visible.sorted().first(where: { $0.hasPrefix(prefix) }) {
                    throw TFRecordError(.invalidArgument, "--append: \(clash) already has the prefix '\(prefix)'; give another --prefix",
                                        path: output)
                }
                return
            }
            throw TFRecordError(.invalidArgument, "is not empty (\(visible.count) file(s)); give --append to add a shard set with a new --prefix, or --overwrite to replace files of the same names",
                                path: output)
        }

        func run() throws {
            try InputPaths.checkSingle(input)
            try checkOutputFolder()
            let inputFormat: ExampleImport.Format
            switch format {
            case .auto:
                // Detecting reads the first bytes: a pipe would lose them to the second open.
                if let status = try SystemCalls.statusIfExists(path: input), !status.isRegular, !status.isDirectory {
                    throw TFRecordError(.invalidArgument, "is a \(status.kind.rawValue): give --format jsonl, json-array or coco (detecting the format would consume its first bytes)",
                                        path: input)
                }
                inputFormat = try ExampleImport.Format.detect(path: input)
            case .jsonl: inputFormat = .jsonLines
            case .coco: inputFormat = .coco
            case .jsonArray: inputFormat = .jsonArray
            }
            let write = writing.writeOptions(compression.compression ?? .none, bufferSize: 1 << 20)
            var options = ShardWriterOptions(directory: output, prefix: prefix, nameTemplate: try ShardNameTemplate(name),
                                             recordsPerShard: recordsPerShard, bytesPerShard: shardSize.flatMap(WritingOptions.parseSize),
                                             write: write)
            if let shards { options.parallelShards = WritingOptions.cappedThreads(max(1, shards), flag: "--shards") }
            let writer = try ShardWriter(options: options)
            let converter = try fileField.map { field throws(TFRecordError) in
                try JSONConverter(fileFieldArgument: field, root: root, allowOutsideRoot: allowOutsideRoot)
            } ?? JSONConverter(fileField: inputFormat == .coco ? "image" : nil, root: root, allowOutsideRoot: allowOutsideRoot)
            converter.unfitNumbers = unfitNumbers == .bytes ? .bytes : .error
            let progress = Progress("import", total: 1, quiet: quiet)
            do {
                let limit = maxJSONSize.flatMap(WritingOptions.parseSize) ?? ExampleImport.defaultMaxJSONSize
                try ExampleImport.run(input: input, format: inputFormat, converter: converter, writer: writer,
                                      maxJSONSize: limit) { records, fraction in
                    progress.update(records: records, done: fraction)
                }
                let shards = try writer.finish()
                progress.finish()
                for shard in shards {
                    try Output.standard.write("\(shard.recordCount)\t\(shard.path)\n")
                }
            } catch {
                progress.finish()
                writer.abandon()
                throw error
            }
        }
    }
}
