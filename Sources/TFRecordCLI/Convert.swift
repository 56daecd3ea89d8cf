import ArgumentParser
import TFRecord

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

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case none, gzip, zlib, lz4
        }

        @Argument(help: "The file to read (any compression).")
        var input: String

        @Argument(help: "The file to write (replaced atomically).")
        var output: String

        @Option(help: "Output compression: none, gzip, zlib or lz4.")
        var compression: Kind = .gzip

        @Option(help: "Compression level: -1 (default, zlib's 6) to 9 for gzip/zlib; 0 to 12 for lz4.")
        var level: Int?

        @Option(help: "Write blocked gzip/lz4 with blocks of SIZE uncompressed bytes (e.g. 1M, 256K, 1048576).")
        var blocked: String?

        @Option(help: "Compression threads for --blocked (0 = every core).")
        var threads: Int = 0

        func validate() throws {
            if let blocked {
                guard let size = Convert.parseSize(blocked), size > 0 else {
                    throw ValidationError("--blocked: '\(blocked)' is not a size (e.g. 1M, 256K, 1048576)")
                }
                _ = size
                guard compression == .gzip || compression == .lz4 else {
                    throw ValidationError("--blocked needs --compression gzip or lz4")
                }
            }
            if let level {
                let range = compression == .lz4 ? 0...12 : -1...9
                guard range.contains(level) else {
                    throw ValidationError("--level must be in \(range.lowerBound)...\(range.upperBound) for \(compression.rawValue)")
                }
            }
        }

        /// `1048576`, `256K`, `1M`, `1G` (powers of 1024).
        static func parseSize(_ text: String) -> Int? {
            let units: [Character: Int] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30]
            if let last = text.last, let unit = units[last] {
                return Int(text.dropLast()).map { $0 * unit }
            }
            return Int(text)
        }

        @Flag(help: "Skip damaged bytes and write only the intact records (repair).")
        var skipCorrupt = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            var options = WriteOptions(compression: Compression(rawValue: compression.rawValue)!)
            if let level {
                options.level = level
                options.zlib.compressionLevel = level
            }
            options.blockSize = blocked.flatMap(Convert.parseSize)
            options.compressionThreads = threads
            let reader = try RecordReader(path: input, options: ReadOptions(skipCorrupt: skipCorrupt))
            var skipped = 0
            reader.onSkip = { range in
                skipped += 1
                Diagnostics.warning(range.error)
            }
            let writer = try RecordWriter(path: output, options: options)
            let progress = Progress("convert", total: Double(FileInfo.size(input) ?? 0), quiet: quiet)
            var bytes = 0.0
            do {
                try reader.forEach { number, payload in
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
