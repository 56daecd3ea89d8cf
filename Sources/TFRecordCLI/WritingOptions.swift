import ArgumentParser
import TFRecord
import TFRecordExample

/// Options shared by the writing commands (`convert`, `import`, `bench --shard-write`): level,
/// blocked members and compression threads. Each command keeps its own `--compression`, whose
/// default differs.
struct WritingOptions: ParsableArguments {
    @Option(help: "Compression level: -1 (default, zlib's 6) to 9 for gzip/zlib; 0 to 12 for lz4.")
    var level: Int?

    @Option(help: "Write blocked gzip/lz4 with blocks of SIZE uncompressed bytes (e.g. 1M, 256K, 1048576).")
    var blocked: String?

    @Option(help: "Threads: block compressors for --blocked (0 = every core); for bench, also lookup threads.")
    var threads: Int = 0

    /// Checks the flags against the chosen compression.
    func validate(for compression: Compression) throws {
        if let blocked {
            guard let size = WritingOptions.parseSize(blocked), size > 0 else {
                throw ValidationError("--blocked: '\(blocked)' is not a size (e.g. 1M, 256K, 1048576)")
            }
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
        guard threads >= 0 else { throw ValidationError("--threads must be >= 0") }
    }

    /// Library write options for `compression` with these flags.
    func writeOptions(_ compression: Compression, bufferSize: Int = 256 << 10) -> WriteOptions {
        var options = WriteOptions(compression: compression, bufferSize: bufferSize)
        if let level {
            options.level = level
            options.zlib.compressionLevel = level
        }
        options.blockSize = blocked.flatMap(WritingOptions.parseSize)
        options.compressionThreads = threads
        return options
    }

    /// `1048576`, `256K`, `1M`, `1G` (powers of 1024).
    static func parseSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30]
        if let last = text.last, let unit = units[last] {
            return Int(text.dropLast()).map { $0 * unit }
        }
        return Int(text)
    }
}
