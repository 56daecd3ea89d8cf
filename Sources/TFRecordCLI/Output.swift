import TFRecord
#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output for data: large writes, one flush at the end, `EPIPE` reported as
/// an `.io` error so a closed pipe (`| head -1`) ends the command quietly.
final class Output {
    /// The process's standard output.
    nonisolated(unsafe) static let standard = Output(fd: 1)

    private let fd: Int32
    private var buffer: [UInt8] = []
    private let limit = 1 << 16

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(limit * 2)
    }

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

    /// Writes out what is buffered.
    func flush() throws(TFRecordError) {
        defer { buffer.removeAll(keepingCapacity: true) }
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            throw TFRecordError(.io, "cannot write output", errno: n < 0 ? errno : EIO)
        }
    }
}
