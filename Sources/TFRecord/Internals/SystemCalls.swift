import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin wrappers over the POSIX calls the library makes: each retries `EINTR` in one place and
/// turns failures into `TFRecordError.io` naming the path.
package enum SystemCalls {
    /// Opens `path` with `flags`; throws `.io` with the errno.
    package static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(TFRecordError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot open file", path: path, errno: Glibc.errno)
        }
    }

    /// Size of the open file `fd`.
    package static func size(_ fd: Int32, path: String) throws(TFRecordError) -> Int {
        var st = stat()
        if fstat(fd, &st) != 0 {
            throw TFRecordError(.io, "cannot stat file", path: path, errno: Glibc.errno)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw TFRecordError(.io, "is a directory", path: path, errno: EISDIR)
        }
        return Int(st.st_size)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(TFRecordError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 { done += n; continue }
            if n < 0 && Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot write file", path: path, errno: n < 0 ? Glibc.errno : EIO)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count read (0 at end of file).
    package static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(TFRecordError) -> Int {
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot read file", path: path, errno: Glibc.errno)
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the count read.
    package static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, path: String) throws(TFRecordError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 { done += n; continue }
            if n == 0 { break }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot read file", path: path, errno: Glibc.errno)
        }
        return done
    }

    /// Flushes `fd` to stable storage.
    package static func fsync(_ fd: Int32, path: String) throws(TFRecordError) {
        while Glibc.fsync(fd) != 0 {
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot sync file", path: path, errno: Glibc.errno)
        }
    }

    /// Closes `fd`, reporting a failed close (it can report a failed delayed write).
    package static func close(_ fd: Int32, path: String) throws(TFRecordError) {
        if Glibc.close(fd) != 0 && Glibc.errno != EINTR {
            throw TFRecordError(.io, "cannot close file", path: path, errno: Glibc.errno)
        }
    }

    /// A duplicate of `fd` (`dup(2)`, close-on-exec).
    package static func duplicate(_ fd: Int32, path: String) throws(TFRecordError) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw TFRecordError(.io, "cannot duplicate the descriptor", path: path, errno: Glibc.errno) }
        return copy
    }

    /// Closes `fd` when nothing can be done about a failure (an error path, a reader).
    package static func closeIgnoringErrors(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Replaces the file at `path` atomically: `write` fills a new hidden file in the same folder
    /// (given its descriptor and path), which is `fsync`ed when `sync`, closed and renamed over
    /// `path`. On any failure the hidden file is removed and `path` is left as it was.
    package static func replaceAtomically(_ path: String, sync: Bool,
                                  _ write: (_ fd: Int32, _ temporary: String) throws(TFRecordError) -> Void) throws(TFRecordError) {
        let temporary = RecordWriter.temporaryPath(for: path)
        let descriptor = try FileDescriptor(opening: temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC)
        do {
            try write(descriptor.raw, temporary)
            if sync { try fsync(descriptor.raw, path: temporary) }
            try descriptor.close(path: temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let code = Glibc.errno
            unlink(temporary)
            throw TFRecordError(.io, "cannot rename \(temporary) into place", path: path, errno: code)
        }
    }
}

/// The number of online processors (at least 1).
package func onlineProcessors() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
