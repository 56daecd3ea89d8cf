import ArgumentParser
import TFRecord
import TFRecordExample

/// How the user names the compression on the command line.
enum CompressionOption: String, ExpressibleByArgument, CaseIterable {
    case none, gzip, zlib, lz4, auto

    /// The library's value; nil means detect.
    var compression: Compression? {
        switch self {
        case .none: return Compression.none
        case .gzip: return .gzip
        case .zlib: return .zlib
        case .lz4: return .lz4
        case .auto: return nil
        }
    }
}

/// Options shared by the reading commands.
struct ReadingOptions: ParsableArguments {
    @Option(help: "Compression of the inputs: none, gzip, zlib, lz4 or auto (detect from the first bytes).")
    var compression: CompressionOption = .auto

    @Flag(help: "No progress bar.")
    var quiet = false

    @Option(help: "Largest record payload to read, in bytes (a record claiming more is an error before any of it is buffered).")
    var maxRecordSize: Int = ReadOptions.defaultMaxRecordSize

    func validate() throws {
        guard maxRecordSize >= 0 else { throw ValidationError("--max-record-size must be >= 0") }
    }

    /// Library read options for these flags.
    func readOptions(verifyingChecksums: Bool = true, skipCorrupt: Bool = false) -> ReadOptions {
        var options = ReadOptions(compression: compression.compression, verifyingChecksums: verifyingChecksums, skipCorrupt: skipCorrupt)
        options.maxRecordSize = maxRecordSize
        return options
    }
}

/// Expands the paths given on the command line: files as given, directories, globs and
/// `prefix-NNNNN-of-MMMMM` sets to their shards in sorted order (see `ShardPaths.expand`).
enum InputPaths {
    /// The files to read.
    /// - Throws: `TFRecordError.io` for a path that matches nothing.
    /// `-` is standard input (`/dev/stdin`), read as a stream when it is a pipe.
    static func expand(_ paths: [String]) throws -> [String] {
        try ShardPaths.expand(paths.map { $0 == "-" ? "/dev/stdin" : $0 })
    }

    /// Checks the single input of `convert` or `import` as `expand` checks each file: a
    /// device or socket is refused (exit 2), never read as an empty file.
    /// - Throws: `TFRecordError.invalidArgument` naming the path.
    static func checkSingle(_ path: String) throws(TFRecordError) {
        if let status = try? SystemCalls.status(path: path) { try ShardPaths.refuseDevice(path, status) }
    }
}
