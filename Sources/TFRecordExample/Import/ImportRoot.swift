import TFRecord

/// The folder an import's `--file-field` paths are relative to, and the rule that keeps them
/// inside it.
///
/// A file path in the JSON is untrusted: `../../etc/shadow`, an absolute path or a link inside
/// the root pointing out of it would copy a file the user never meant to publish into the
/// dataset. Each path is opened *beneath* the root's descriptor (`RootDirectory`: `openat2`
/// with `RESOLVE_BENEATH`, or an `O_NOFOLLOW` walk), so the open itself refuses an absolute
/// path, a `..` above the root and a link out of it — there is no resolve-then-open race for a
/// writer of the root's folders to win. The file is opened `O_NONBLOCK` and must be a regular
/// file (a FIFO would hang the import, a device would be read forever). `allowsOutside`
/// (`--allow-outside-root`) opens the path as given, links followed, for inputs you trust.
struct ImportRoot {
    /// The root as given.
    let path: String
    /// Whether paths may resolve outside the root.
    let allowsOutside: Bool
    /// How paths are opened beneath the root (the fallback walk can be chosen, for tests).
    let method: RootDirectory.Method
    /// The root's descriptor, opened on first use.
    private var root: RootDirectory?

    init(path: String, allowsOutside: Bool, method: RootDirectory.Method = .openat2) {
        self.path = path
        self.allowsOutside = allowsOutside
        self.method = method
    }

    /// The bytes of the file `named` by feature `field` of record `recordNumber`.
    /// - Throws: `TFRecordError.corrupted` naming the record and field when the path leaves the
    ///   root or is not a regular file (bad data: exit 1); `.io` naming the file when the root or
    ///   the file cannot be opened or read (missing, a loop).
    /// - Complexity: O(file size); a few system calls per path component at most.
    mutating func read(_ named: String, field: String, recordNumber: Int, source: String) throws(TFRecordError) -> [UInt8] {
        do throws(TFRecordError) {
            let descriptor: FileDescriptor
            if allowsOutside {
                descriptor = try FileDescriptor(opening: named.hasPrefix("/") ? named : path + "/" + named, .readSideFile)
            } else {
                do throws(TFRecordError) {
                    descriptor = try rootDirectory().open(named, method: method)
                } catch where error.errno == SystemCalls.Code.escapes {
                    throw TFRecordError(.corrupted, "feature \"\(field)\": file \"\(named)\" is outside --root \(path) (an absolute path, a `..` above the root or a link out of it; give --allow-outside-root to allow it)",
                                        path: source, recordNumber: recordNumber)
                }
            }
            let status = try SystemCalls.status(descriptor.raw, path: named)
            guard status.isRegular else {
                throw TFRecordError(.corrupted, "feature \"\(field)\": file \"\(named)\" is a \(status.kind.rawValue), not a regular file",
                                    path: source, recordNumber: recordNumber)
            }
            var bytes = [UInt8](repeating: 0, count: Int(status.size))
            let raw = descriptor.raw
            let shown = path + "/" + named
            let n = try bytes.withMutableBytes { (buffer) throws(TFRecordError) in
                try SystemCalls.readFully(raw, buffer, path: shown)
            }
            bytes.removeSubrange(n...)
            return bytes
        } catch {
            var annotated = error
            if annotated.recordNumber == nil { annotated.recordNumber = recordNumber }
            throw annotated
        }
    }

    private mutating func rootDirectory() throws(TFRecordError) -> RootDirectory {
        if let root { return root }
        let opened = try RootDirectory(path: path)
        root = opened
        return opened
    }
}
