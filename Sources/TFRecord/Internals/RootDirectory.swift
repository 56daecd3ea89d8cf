/// A folder that names read from untrusted data are confined to (`import --root`): the folder
/// is opened once (`O_PATH|O_DIRECTORY`), and each name is opened *relative to that descriptor*
/// so that its resolution cannot leave it — no absolute path, no `..` above it, no link out of
/// it, whatever another process does to the links meanwhile.
///
/// The open itself enforces this (no resolve-then-open race): `openat2(2)` with
/// `RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS` (Linux 5.6+); where the kernel has no `openat2`
/// (`ENOSYS`) or a filter refuses it (`EPERM`), a walk that opens one component at a time with
/// `O_NOFOLLOW`, reading each link itself and following it only while it stays beneath the root
/// (a link swapped in between a check and an open makes that open fail, never escape). Files are
/// opened `O_NONBLOCK`, so a FIFO cannot hang the open; the caller checks the kind.
package final class RootDirectory: Sendable {
    /// The folder as given (for messages).
    package let path: String
    private let descriptor: FileDescriptor

    /// How `open` resolves a name.
    package enum Method: Sendable, CaseIterable {
        /// `openat2` with `RESOLVE_BENEATH`, falling back to `walk` where it is unavailable.
        case openat2
        /// The component-by-component `O_NOFOLLOW` walk (the fallback; public for tests).
        case walk
    }

    /// Opens the folder `path`.
    /// - Throws: `TFRecordError.io` naming it when it cannot be opened or is not a folder.
    package init(path: String) throws(TFRecordError) {
        self.path = path
        descriptor = FileDescriptor(adopting: try SystemCalls.open(at: nil, path, .directory, path: path))
    }

    /// Opens `name` (relative to the root) for reading, confined to the root.
    /// - Returns: the descriptor (the caller checks that it is a regular file).
    /// - Throws: `TFRecordError.io` with `errno` `SystemCalls.Code.escapes` (`EXDEV`) when `name`
    ///   is absolute or its resolution leaves the root; `.io` with the errno for anything else
    ///   (nothing there, a link loop, no permission), naming `root/name`.
    /// - Complexity: one system call (`openat2`), or a few per component (the walk).
    package func open(_ name: String, method: Method = .openat2) throws(TFRecordError) -> FileDescriptor {
        let shown = path.hasSuffix("/") ? path + name : path + "/" + name
        if name.hasPrefix("/") { throw escape(name, shown) }
        if method == .openat2, let fd = try SystemCalls.openBeneath(descriptor.raw, name, path: shown) {
            return FileDescriptor(adopting: fd)
        }
        return try walk(name, shown)
    }

    private func escape(_ name: String, _ shown: String) -> TFRecordError {
        TFRecordError(.io, "\"\(name)\" leaves the folder \(path)", path: shown, errno: SystemCalls.Code.escapes)
    }

    /// The fallback: one component at a time, links read and followed only beneath the root.
    private func walk(_ name: String, _ shown: String) throws(TFRecordError) -> FileDescriptor {
        var opened: [Int32] = []   // the folders below the root, innermost last
        defer { for fd in opened { SystemCalls.closeIgnoringErrors(fd) } }
        var pending = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed() as [String]
        var links = 0
        while let component = pending.popLast() {
            let current = opened.last ?? descriptor.raw
            if component == "." { continue }
            if component == ".." {
                guard let last = opened.popLast() else { throw escape(name, shown) }
                SystemCalls.closeIgnoringErrors(last)
                continue
            }
            let status = try SystemCalls.linkStatus(at: current, component, path: shown)
            if status.kind == .symbolicLink {
                links += 1
                guard links <= 40 else {
                    throw TFRecordError(.io, "too many links", path: shown, errno: SystemCalls.Code.linkLoop)
                }
                let target = try SystemCalls.linkTarget(at: current, component, path: shown)
                if target.hasPrefix("/") { throw escape(name, shown) }
                pending += target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed()
                continue
            }
            if pending.isEmpty {
                // The last component; O_NOFOLLOW: a link swapped in since the check fails the open.
                return FileDescriptor(adopting: try SystemCalls.open(at: current, component, .readNoFollow, path: shown))
            }
            opened.append(try SystemCalls.open(at: current, component, .directoryNoFollow, path: shown))
        }
        // The name ends at a folder (".", "sub/.."): open it (the caller refuses a folder).
        return FileDescriptor(adopting: try SystemCalls.open(at: opened.last ?? descriptor.raw, ".", .readNoFollow, path: shown))
    }
}
