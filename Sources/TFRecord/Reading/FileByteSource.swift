/// Reads plain (uncompressed) bytes front to back from a `ByteInput`: a local file with `read(2)`
/// — the reader for files that may change while they are read (a memory map would fault with
/// `SIGBUS` if another process truncated the file) — or a stored object, chunk by chunk.
final class FileByteSource: ByteSource {
    private let input: any ByteInput
    /// Bytes already read from the stream, delivered first.
    private var pending: [UInt8] = []

    /// Reads `input` from its current position, after delivering `consumed`.
    init(input: any ByteInput, consumed: [UInt8] = []) {
        self.input = input
        pending = consumed
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if !pending.isEmpty {
            let n = min(buffer.count, pending.count)
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        return try input.read(into: buffer)
    }

    var compressedOffset: UInt64? { nil }
}
