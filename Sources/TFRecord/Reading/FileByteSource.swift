/// Reads a plain file front to back with `read(2)`; the reader for files that may change while
/// they are read (a memory map would fault with `SIGBUS` if another process truncated the file).
final class FileByteSource: ByteSource {
    let descriptor: FileDescriptor
    var fd: Int32 { descriptor.raw }
    let path: String

    /// Opens `path` for reading.
    init(path: String) throws(TFRecordError) {
        self.path = path
        descriptor = try FileDescriptor(opening: path, .read)
        SystemCalls.adviseSequential(descriptor.raw)
    }

    /// Takes ownership of an open descriptor.
    /// Bytes already read from the stream, delivered first.
    private var pending: [UInt8] = []

    init(fd: consuming FileDescriptor, path: String, consumed: [UInt8] = []) {
        descriptor = fd
        self.path = path
        pending = consumed
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if !pending.isEmpty {
            let n = min(buffer.count, pending.count)
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        return try SystemCalls.readFully(fd, buffer, path: path)
    }

    var compressedOffset: UInt64? { nil }

}
