import ArgumentParser
import TFRecord
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord generate`: synthetic files for benchmarks and tests.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic TFRecord file of pseudo-random payloads (for benchmarks).",
            discussion: """
                Payloads are deterministic for a given --seed.
                Example: tfrecord generate /tmp/100b.tfrecord --size 100 --total-bytes 1073741824
                """
        )

        @Argument(help: "The file to write, or an s3://bucket/key object (s3://bucket/prefix/ with --records-per-shard).")
        var output: String

        @Option(help: "Payload size in bytes.")
        var size: Int = 100

        @Option(help: "Number of records (or use --total-bytes).")
        var records: Int?

        @Option(help: "Write records until the file holds about this many bytes.")
        var totalBytes: Int?

        @Option(help: "Seed of the payload generator.")
        var seed: UInt64 = 1

        @Option(help: "Write shards of this many records into the folder OUTPUT instead of one file.")
        var recordsPerShard: Int?

        @Option(help: "Shard name template (with --records-per-shard).")
        var name: String = ShardNameTemplate.tfds.pattern

        @Option(help: "Shards written at the same time (with --records-per-shard).")
        var threads: Int?

        func validate() throws {
            guard (records == nil) != (totalBytes == nil) else {
                throw ValidationError("give exactly one of --records and --total-bytes")
            }
            guard size >= 0 else { throw ValidationError("--size must be >= 0") }
        }

        func run() throws {
            let count = records ?? max(1, totalBytes! / (size + 16))
            let sink: (([UInt8]) throws -> Void, () throws -> Void, () -> Void)
            let remote = RemoteOutput.isRemote(output) ? try RemoteOutput(output) : nil
            defer { remote?.close() }
            if let recordsPerShard {
                var options = ShardWriterOptions(directory: output, nameTemplate: try ShardNameTemplate(name),
                                                 recordsPerShard: recordsPerShard, write: WriteOptions(bufferSize: 1 << 20))
                if let threads { options.parallelShards = WritingOptions.cappedThreads(threads, flag: "--threads") }
                if let remote {
                    let (publisher, staging) = try remote.shardPublisher()
                    options.publisher = publisher
                    options.directory = staging
                }
                let shards = try ShardWriter(options: options)
                sink = ({ try shards.write($0) }, { try shards.finish() }, { shards.abandon() })
            } else {
                let options = WriteOptions(bufferSize: 1 << 20)
                let writer = try remote?.recordWriter(options: options) ?? RecordWriter(path: output, options: options)
                sink = ({ try writer.write($0) }, { try writer.close() }, { writer.abandon() })
            }
            do {
                try generate(count: count, into: sink.0)
                try sink.1()
            } catch {
                sink.2()
                throw error
            }
        }

        /// Writes `count` pseudo-random payloads of `size` bytes from `seed`.
        private func generate(count: Int, into write: ([UInt8]) throws -> Void) throws {
            var state = seed | 1
            var payload = [UInt8](repeating: 0, count: size)
            for _ in 0..<count {
                var i = 0
                while i < size {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17
                    var word = state
                    let n = min(8, size - i)
                    for j in 0..<n {
                        payload[i + j] = UInt8(truncatingIfNeeded: word)
                        word >>= 8
                    }
                    i += n
                }
                try write(payload)
            }
        }
    }
}
