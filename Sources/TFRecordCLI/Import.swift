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
                --file-field path:image kept as a string while the bytes become `image`. A JSON \
                array input gives one record per element. A feature whose kind \
                changes between records is an error. Shards are written under hidden names, \
                fsynced and renamed into place, each with its index sidecar.
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

        @Option(help: "Shards written at the same time (default: every core).")
        var shards: Int?

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            if recordsPerShard == nil && shardSize == nil {
                throw ValidationError("give --records-per-shard or --shard-size")
            }
            if let shardSize, WritingOptions.parseSize(shardSize) == nil {
                throw ValidationError("--shard-size: '\(shardSize)' is not a size")
            }
            guard let target = compression.compression else {
                throw ValidationError("--compression must be none, gzip, zlib or lz4")
            }
            try writing.validate(for: target)
        }

        func run() throws {
            let inputFormat: ExampleImport.Format
            switch format {
            case .auto: inputFormat = try ExampleImport.Format.detect(path: input)
            case .jsonl: inputFormat = .jsonLines
            case .coco: inputFormat = .coco
            case .jsonArray: inputFormat = .jsonArray
            }
            let write = writing.writeOptions(compression.compression ?? .none, bufferSize: 1 << 20)
            var options = ShardWriterOptions(directory: output, prefix: prefix, nameTemplate: try ShardNameTemplate(name),
                                             recordsPerShard: recordsPerShard, bytesPerShard: shardSize.flatMap(WritingOptions.parseSize),
                                             write: write)
            if let shards { options.parallelShards = max(1, shards) }
            let writer = try ShardWriter(options: options)
            let converter = try fileField.map { field throws(TFRecordError) in try JSONConverter(fileFieldArgument: field, root: root) }
                ?? JSONConverter(fileField: inputFormat == .coco ? "image" : nil, root: root)
            let progress = Progress("import", total: 1, quiet: quiet)
            do {
                try ExampleImport.run(input: input, format: inputFormat, converter: converter, writer: writer) { records, fraction in
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
