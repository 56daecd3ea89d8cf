import TFRecord
import TFRecordExample
/// Buffered output for data (stdout) and diagnostics (stderr): large writes, `EPIPE` reported
/// as an `.io` error so a closed pipe (`| head -1`) ends the command quietly.
///
/// The streams are task-local so in-process tests can capture them (`Output.$standard.withValue`).
final class Output: @unchecked Sendable {
    /// Where data goes: the process's stdout unless a test captures it.
    @TaskLocal static var standard = Output(fd: 1)
    /// Where diagnostics go: the process's stderr unless a test captures it.
    @TaskLocal static var diagnostics = Output(fd: 2, limit: 0)

    private let fd: Int32?
    private var buffer: [UInt8] = []
    private let limit: Int

    /// Writes to the file descriptor `fd`, buffering up to `limit` bytes.
    init(fd: Int32, limit: Int = 1 << 16) {
        self.fd = fd
        self.limit = limit
        buffer.reserveCapacity(limit * 2)
    }

    /// Keeps everything in memory (for tests): see `captured`.
    init() {
        fd = nil
        limit = Int.max
    }

    /// What was written to a capturing output.
    var captured: String { String(decoding: buffer, as: UTF8.self) }

    /// Appends `text`.
    func write(_ text: String) throws(TFRecordError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= limit { try flush() }
    }

    /// Appends raw bytes.
    func write(bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { try flush() }
    }

    /// Writes out what is buffered (nothing for a capturing output).
    func flush() throws(TFRecordError) {
        guard let fd else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try SystemCalls.writeAll(fd, buffer, what: "output")
    }
}
