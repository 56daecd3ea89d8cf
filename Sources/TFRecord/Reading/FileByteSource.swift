#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a plain file front to back with `read(2)`; the reader for files that may change while
/// they are read (a memory map would fault with `SIGBUS` if another process truncated the file).
final class FileByteSource: ByteSource {
    let fd: Int32
    let path: String

    /// Opens `path` for reading.
    init(path: String) throws(TFRecordError) {
        self.path = path
        fd = try SystemCalls.open(path, O_RDONLY)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    }

    /// Takes ownership of an open descriptor.
    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        try SystemCalls.readFully(fd, buffer, path: path)
    }

    var compressedOffset: UInt64? { nil }

    deinit { Glibc.close(fd) }
}
