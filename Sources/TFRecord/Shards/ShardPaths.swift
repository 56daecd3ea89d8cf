/// Turns what a user names — files, directories, globs, or the prefix of a
/// `prefix-00000-of-00016` sharded set — into the list of shard files, in a stable order.
public enum ShardPaths {
    /// Expands `arguments`, keeping their order; each argument becomes:
    /// - an existing file: itself;
    /// - a directory: its regular files, sorted by name, skipping hidden files (`.name`, such as
    ///   writers' temporary files) and index files (`*.tfindex`, `*.idx`);
    /// - a glob (`*`, `?`, `[`): its matching regular files, sorted, index files skipped;
    /// - otherwise a prefix: the files matching `prefix-*-of-*`, sorted.
    ///
    /// Files named `…-NNNNN-of-MMMMM…` found through a directory, a glob or a prefix must form
    /// complete sets: every number from 0 to MMMMM-1 present.
    /// - Parameter arguments: paths, directories, globs or prefixes.
    /// - Returns: the files, in order (a file named twice appears twice).
    /// - Throws: `.io` when an argument matches nothing, or (`EILSEQ`) when a file found in a
    ///   directory or by a pattern has a name that is not UTF-8 (it is never skipped silently);
    ///   `.invalidArgument` naming the missing shards of an incomplete `-of-` set, or for a
    ///   device or socket named as an input (never read as an empty file).
    /// - Complexity: O(files × log files).
    public static func expand(_ arguments: [String]) throws(TFRecordError) -> [String] {
        var result: [String] = []
        for argument in arguments {
            // Nothing there (ENOENT) means a pattern or a shard set; any other failure is an error.
            if let status = try SystemCalls.statusIfExists(path: argument) {
                if status.isDirectory {
                    let files = try listDirectory(argument)
                    try checkShardSets(files, from: argument)
                    result += files
                } else {
                    try refuseDevice(argument, status)
                    result.append(argument)
                }
                continue
            }
            if argument.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                let files = try glob(argument)
                guard !files.isEmpty else {
                    throw TFRecordError(.io, "no file matches the pattern", path: argument, errno: SystemCalls.Code.noEntry)
                }
                try checkShardSets(files, from: argument)
                result += files
                continue
            }
            let files = try glob(escapeGlob(argument) + "-*-of-*")
            guard !files.isEmpty else {
                throw TFRecordError(.io, "cannot open file", path: argument, errno: SystemCalls.Code.noEntry)
            }
            try checkShardSets(files, from: argument)
            result += files
        }
        return result
    }

    /// Refuses a device or socket named as an input: `/dev/zero` would read as an empty file
    /// ("0 records good") or forever. Regular files and FIFOs (a stream) pass.
    /// - Throws: `.invalidArgument` naming `path` and what it is.
    package static func refuseDevice(_ path: String, _ status: SystemCalls.Status) throws(TFRecordError) {
        if status.kind == .characterDevice || status.kind == .blockDevice || status.kind == .socket {
            throw TFRecordError(.invalidArgument, "is a \(status.kind.rawValue), not a regular file: an input must be a file",
                                path: path)
        }
    }

    /// Whether `path` names an index file (`*.tfindex` or `*.idx`) rather than a shard.
    public static func isIndexFile(_ path: String) -> Bool {
        path.hasSuffix(".tfindex") || path.hasSuffix(".idx")
    }

    /// The parts of a `prefix-00003-of-00016suffix` name.
    static func shardName(_ path: String) -> (prefix: String, number: Int, width: Int, total: Int, totalText: String, suffix: String)? {
        let bytes = Array(path.utf8)
        let marker = Array("-of-".utf8)
        guard bytes.count > marker.count else { return nil }
        var at = bytes.count - marker.count
        while at > 0 {
            if Array(bytes[at..<at + marker.count]) == marker {
                var start = at
                while start > 0 && bytes[start - 1] >= 48 && bytes[start - 1] <= 57 { start -= 1 }
                var end = at + marker.count
                while end < bytes.count && bytes[end] >= 48 && bytes[end] <= 57 { end += 1 }
                if start < at && start > 0 && bytes[start - 1] == UInt8(ascii: "-") && end > at + marker.count,
                   let number = Int(String(decoding: bytes[start..<at], as: UTF8.self)),
                   let total = Int(String(decoding: bytes[(at + marker.count)..<end], as: UTF8.self)) {
                    return (String(decoding: bytes[..<start], as: UTF8.self), number, at - start, total,
                            String(decoding: bytes[(at + marker.count)..<end], as: UTF8.self),
                            String(decoding: bytes[end...], as: UTF8.self))
                }
            }
            at -= 1
        }
        return nil
    }

    /// The part of a `prefix-00003-of-00016suffix` name before the shard number (`prefix-`), or
    /// nil for a name that is not one of a sharded set (listing objects by an `-of-` prefix).
    /// - Complexity: O(name length).
    public static func shardSetPrefix(of name: String) -> String? {
        shardName(name)?.prefix
    }

    /// Throws when the `-of-` sets among `files` (paths or object names) are incomplete: every
    /// number from 0 to MMMMM-1 must be present, none past it.
    /// - Parameters:
    ///   - files: the names found (by a listing, a glob, a folder).
    ///   - argument: what the user named, for the message.
    /// - Throws: `.invalidArgument` naming the missing shards.
    /// - Complexity: O(files).
    public static func checkShardSets(_ files: [String], from argument: String) throws(TFRecordError) {
        struct Key: Hashable { var prefix: String; var total: Int; var totalText: String; var suffix: String }
        var sets: [Key: Set<Int>] = [:]
        var widths: [Key: Int] = [:]
        for file in files {
            guard let name = shardName(file) else { continue }
            let key = Key(prefix: name.prefix, total: name.total, totalText: name.totalText, suffix: name.suffix)
            sets[key, default: []].insert(name.number)
            widths[key] = max(widths[key] ?? 0, name.width)
        }
        for (key, present) in sets.sorted(by: { $0.key.prefix < $1.key.prefix }) {
            let missing = (0..<key.total).filter { !present.contains($0) }
            let extra = present.filter { $0 >= key.total }
            guard missing.isEmpty && extra.isEmpty else {
                let width = widths[key] ?? 5
                func name(_ n: Int) -> String {
                    let digits = String(n)
                    return key.prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
                        + "-of-" + key.totalText + key.suffix
                }
                let listed = missing.prefix(5).map(name).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
                throw TFRecordError(.invalidArgument, missing.isEmpty
                                    ? "sharded set \(key.prefix)*-of-\(key.total) has shard numbers past its total: \(extra.sorted())"
                                    : "incomplete sharded set: \(missing.count) of \(key.total) shard(s) missing: \(listed)",
                                    path: argument)
            }
        }
    }

    /// The regular, non-hidden, non-index files of `directory`, sorted by name.
    static func listDirectory(_ directory: String) throws(TFRecordError) -> [String] {
        var names: [String] = []
        for (name, valid) in try SystemCalls.directoryEntries(directory) {
            if name.hasPrefix(".") || isIndexFile(name) { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard valid else { throw SystemCalls.undecodableName(path) }  // never skipped silently
            // Skipped: what is not a regular file, or vanished (a dangling link); a failed stat is an error.
            guard try SystemCalls.statusIfExists(path: path)?.isRegular == true else { continue }
            names.append(path)
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The regular files matching the glob `pattern`, sorted.
    /// - Throws: `.io` (`EILSEQ`) for a match whose name is not valid UTF-8.
    static func glob(_ pattern: String) throws(TFRecordError) -> [String] {
        var paths: [String] = []
        for (path, valid) in SystemCalls.glob(pattern) where !isIndexFile(path) {
            guard valid else { throw SystemCalls.undecodableName(path) }
            if try SystemCalls.statusIfExists(path: path)?.isRegular == true { paths.append(path) }
        }
        return paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func escapeGlob(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "*" || c == "?" || c == "[" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
