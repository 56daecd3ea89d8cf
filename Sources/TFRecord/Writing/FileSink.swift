/// Writes bytes straight to a file descriptor (the writer already buffers). Borrows the
/// descriptor: its owner (`RecordWriter`) keeps it open while the sink is used.
final class FileSink: RecordSink {
    let fd: Int32
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        try SystemCalls.writeAll(fd, bytes, path: path)
    }

    func flush() throws(TFRecordError) {}
    func finish() throws(TFRecordError) {}
}
