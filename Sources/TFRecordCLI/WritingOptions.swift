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
            guard size <= WriteOptions.maxBlockSize else {
                throw ValidationError("--blocked: \(blocked) is more than the largest block, \(WriteOptions.maxBlockSize >> 20)M")
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
        options.compressionThreads = WritingOptions.cappedThreads(threads, flag: "--threads")
        return options
    }

    /// `1048576`, `256K`, `1M`, `1G` (powers of 1024); nil for anything else, a negative
    /// number or a size that does not fit an Int (`99999999999999G`).
    static func parseSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30]
        var digits = Substring(text)
        var unit = 1
        if let last = text.last, let scale = units[last] {
            digits = text.dropLast()
            unit = scale
        }
        guard let number = Int(digits), number >= 0 else { return nil }
        let (size, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? nil : size
    }

    /// `requested` threads, at most `threadLimit()` (4 per core): more only costs memory (each
    /// worker has its own buffers) and time. A cap is noted on stderr. 0 stays 0 (every core).
    static func cappedThreads(_ requested: Int, flag: String) -> Int {
        let limit = threadLimit()
        guard requested > limit else { return requested }
        Diagnostics.line("note: \(flag) \(requested) capped at \(limit) (4 per core, \(onlineProcessors()) cores)")
        return limit
    }
}
