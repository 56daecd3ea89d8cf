import ArgumentParser
import TFRecord
#if canImport(Glibc)
import Glibc
#endif

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

    /// Library read options for these flags.
    func readOptions(verifyChecksums: Bool = true, skipCorrupt: Bool = false) -> ReadOptions {
        ReadOptions(compression: compression.compression, verifyChecksums: verifyChecksums, skipCorrupt: skipCorrupt)
    }
}

/// Expands the paths given on the command line: files as given, directories and globs to their
/// files in sorted order.
enum InputPaths {
    /// The files to read.
    /// - Throws: `TFRecordError.io` for a path that matches nothing.
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            if path.contains("*") || path.contains("?") || path.contains("[") {
                var result = glob_t()
                defer { globfree(&result) }
                guard Glibc.glob(path, 0, nil, &result) == 0 else {
                    throw TFRecordError(.io, "no file matches", path: path, errno: ENOENT)
                }
                var matched: [String] = []
                for i in 0..<Int(result.gl_pathc) {
                    if let p = result.gl_pathv[i] { matched.append(String(cString: p)) }
                }
                files += matched.sorted().filter { !isDirectory($0) && !isSidecar($0) }
            } else if isDirectory(path) {
                guard let dir = opendir(path) else {
                    throw TFRecordError(.io, "cannot read directory", path: path, errno: errno)
                }
                defer { closedir(dir) }
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                    if name.hasPrefix(".") { continue }
                    let full = path.hasSuffix("/") ? path + name : path + "/" + name
                    if !isDirectory(full) && !isSidecar(full) { names.append(full) }
                }
                files += names.sorted()
            } else {
                files.append(path)
            }
        }
        return files
    }

    private static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Index sidecars and notes that live beside shards.
    private static func isSidecar(_ path: String) -> Bool {
        path.hasSuffix(".tfindex") || path.hasSuffix(".idx") || path.hasSuffix(".json") || path.hasSuffix(".md")
    }
}
