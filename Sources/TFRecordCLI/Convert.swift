import ArgumentParser
import TFRecord
import TFRecordRemote
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord convert`: rewrite a file with another compression.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a TFRecord file with another compression.",
            discussion: """
                The input's compression is detected. GZIP and ZLIB output is byte for byte what \
                TensorFlow writes with the same options; --blocked writes independent GZIP \
                members (or LZ4 frames) of SIZE uncompressed bytes, cut at record boundaries, \
                compressed in parallel (TensorFlow still reads a blocked GZIP file in full). \
                LZ4 is this tool's extension: TensorFlow cannot read it (`lz4 -d` can). \
                With --skip-corrupt it repairs: only intact records are written, and each \
                damaged range is reported on stderr.
                Example: tfrecord convert train.tfrecord train.tfrecord.gz --compression gzip --blocked 1M
                """
        )


        @Argument(help: "The file to read (any compression), or an object address (s3://bucket/key, gs://, https://).")
        var input: String

        @Argument(help: "The file to write (replaced atomically).")
        var output: String

        @Option(help: "Output compression: none, gzip, zlib or lz4.")
        var compression: CompressionOption = .gzip

        @OptionGroup var writing: WritingOptions

        func validate() throws {
            guard let target = compression.compression else {
                throw ValidationError("--compression must be none, gzip, zlib or lz4")
            }
            try writing.validate(for: target)
        }

        @Flag(help: "Skip damaged bytes and write only the intact records (repair).")
        var skipCorrupt = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let options = writing.writeOptions(compression.compression ?? .gzip)
            let source: InputSource
            if RemoteShards.isAddress(input) {
                let client = try RemoteAccess.client()
                let address = try ObjectAddress(input)
                let (routed, store) = RemoteShards.route(address, client: client)
                let info = try RemoteAccess.wait { try await store.info(of: routed) }
                source = .object(RemoteShards(objects: [RemoteObject(info: info, store: store)]), 0)
            } else {
                try InputPaths.checkSingle(input)
                source = .file(input)
            }
            try OutputTarget.check(output, against: [input])
            let reader = try source.reader(options: ReadOptions(skipCorrupt: skipCorrupt))
            var skipped = 0
            reader.onSkip = { range in
                skipped += 1
                Diagnostics.warning(range.error)
            }
            let writer = try RecordWriter(path: output, options: options)
            let progress = Progress("convert", total: Double(source.size ?? 0), quiet: quiet)
            var bytes = 0.0
            do {
                try reader.forEachRecord { number, payload in
                    try writer.write(payload)
                    bytes += Double(payload.byteCount + 16)
                    progress.update(records: number + 1, done: reader.compression == .none ? bytes : nil)
                }
                try writer.close()
                progress.finish()
            } catch {
                progress.finish()
                writer.abandon()
                throw error
            }
            if skipped > 0 {
                Diagnostics.line("\(input): wrote \(writer.recordCount) intact records to \(output), skipped \(skipped) damaged range(s)")
            }
        }
    }
}
