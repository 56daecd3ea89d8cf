/// An open file descriptor and the one owner that closes it.
///
/// Every descriptor the library opens lives in a `FileDescriptor`: it closes when its owner goes
/// away (`deinit`) or when `close()` consumes it, which reports a failed close (a failed
/// delayed write). Noncopyable, so a descriptor cannot be closed twice or used after close.
/// A local `FileDescriptor` stays open to the end of its scope: a noncopyable value with a
/// `deinit` has a lexical lifetime, so `let fd = descriptor.raw` needs no `defer` to keep it.
package struct FileDescriptor: ~Copyable, Sendable {
    /// The raw descriptor, for system calls; valid while `self` lives.
    package let raw: Int32

    /// Opens `path` as `mode` says (close-on-exec).
    /// - Throws: `TFRecordError.io` naming the path and the errno.
    package init(opening path: String, _ mode: SystemCalls.OpenMode) throws(TFRecordError) {
        raw = try SystemCalls.open(path, mode)
    }

    /// Opens `path` read-only, calls `body` with the descriptor and closes it.
    /// - Throws: `TFRecordError.io` when it cannot be opened, or what `body` throws.
    package static func withOpened<R>(_ path: String, _ mode: SystemCalls.OpenMode = .read,
                                      _ body: (borrowing FileDescriptor) throws(TFRecordError) -> R) throws(TFRecordError) -> R {
        let descriptor = try FileDescriptor(opening: path, mode)
        return try body(descriptor)
    }

    /// A second descriptor for the same open file (`dup(2)`), with its own owner.
    /// - Throws: `TFRecordError.io` when it cannot be duplicated.
    package func duplicate(path: String) throws(TFRecordError) -> FileDescriptor {
        FileDescriptor(adopting: try SystemCalls.duplicate(raw, path: path))
    }

    /// Takes ownership of the open descriptor `raw` (from a `SystemCalls` wrapper).
    package init(adopting raw: Int32) {
        self.raw = raw
    }

    /// Closes the descriptor now.
    /// - Throws: `TFRecordError.io` when `close(2)` fails (it can report a failed delayed write).
    package consuming func close(path: String) throws(TFRecordError) {
        let raw = self.raw
        discard self
        try SystemCalls.close(raw, path: path)
    }

    deinit {
        SystemCalls.closeIgnoringErrors(raw)
    }
}
