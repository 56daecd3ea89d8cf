/// A `ByteInput` over an open local file: `read(2)` from the descriptor's position, `pread(2)`.
final class FileInput: ByteInput, @unchecked Sendable {
    // @unchecked: the descriptor is immutable; positioned reads are thread-safe, and the
    // sequential position is used by one thread (the `ByteInput` contract).
    private let descriptor: FileDescriptor
    /// The raw descriptor.
    var fd: Int32 { descriptor.raw }
    let path: String

    /// Takes ownership of `fd`.
    init(fd: consuming FileDescriptor, path: String) {
        descriptor = fd
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        try SystemCalls.readFully(fd, buffer, path: path)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(TFRecordError) -> Int {
        try SystemCalls.pread(fd, buffer, at: Int(offset), path: path)
    }

    func seek(to offset: UInt64) { SystemCalls.seek(fd, to: offset) }

    func size() throws(TFRecordError) -> UInt64 { try SystemCalls.status(fd, path: path).size }

    /// A duplicated descriptor (`dup` shares the file position; callers seek before reading).
    func reopened() throws(TFRecordError) -> any ByteInput {
        FileInput(fd: try descriptor.duplicate(path: path), path: path)
    }

    var positionedReadSize: Int { 64 << 10 }
}
