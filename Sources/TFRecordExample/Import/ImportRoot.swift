import TFRecord

/// The folder an import's `--file-field` paths are relative to, and the rule that keeps them
/// inside it.
///
/// A file path in the JSON is untrusted: `../../etc/shadow`, an absolute path or a link inside
/// the root pointing out of it would copy a file the user never meant to publish into the
/// dataset. `resolve` follows every link (`realpath(3)`) and accepts the result only when it is
/// the root itself or below it, and only a regular file (a FIFO would hang the import, a device
/// would be read forever) — unless `allowsOutside` (`--allow-outside-root`) says otherwise.
struct ImportRoot {
    /// The root as given.
    let path: String
    /// Whether paths may resolve outside the root.
    let allowsOutside: Bool
    /// The root with its links resolved, computed on first use.
    private var resolvedRoot: String?

    init(path: String, allowsOutside: Bool) {
        self.path = path
        self.allowsOutside = allowsOutside
    }

    /// The real path of the file `named` by feature `field` of record `recordNumber`.
    /// - Throws: `TFRecordError.corrupted` naming the record and field when the path leaves the
    ///   root or is not a regular file (bad data: exit 1); `.io` when the root or the file cannot
    ///   be resolved (missing, a loop).
    mutating func resolve(_ named: String, field: String, recordNumber: Int, source: String) throws(TFRecordError) -> String {
        let joined = named.hasPrefix("/") ? named : path + "/" + named
        let resolved: String
        do throws(TFRecordError) {
            resolved = try SystemCalls.resolvedPath(joined)
        } catch {
            var named = error
            named.recordNumber = recordNumber
            throw named
        }
        if !allowsOutside {
            let root = try resolvedRootPath()
            let inside = resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
            guard inside else {
                throw TFRecordError(.corrupted, "feature \"\(field)\": file \"\(named)\" resolves to \(resolved), outside --root \(root) (give --allow-outside-root to allow it)",
                                    path: source, recordNumber: recordNumber)
            }
        }
        let kind = try SystemCalls.status(path: resolved).kind
        guard kind == .regular else {
            throw TFRecordError(.corrupted, "feature \"\(field)\": file \"\(named)\" is a \(kind.rawValue), not a regular file",
                                path: source, recordNumber: recordNumber)
        }
        return resolved
    }

    private mutating func resolvedRootPath() throws(TFRecordError) -> String {
        if let resolvedRoot { return resolvedRoot }
        let root = try SystemCalls.resolvedPath(path)
        resolvedRoot = root
        return root
    }
}
