/// Adapts a caller's `ByteSink` to the writer's internal sink chain: bytes are handed over as
/// `RawSpan`s (no copy), and the sink is finished or abandoned exactly once.
final class ExternalSink: ByteOutput {
    let path: String
    private let sink: any ByteSink
    /// Set once `finish()` or `abandon()` of the caller's sink has been called.
    private var ended = false

    init(_ sink: any ByteSink, name: String) {
        self.sink = sink
        self.path = name
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        guard !bytes.isEmpty else { return }
        try sink.write(RawSpan(_unsafeBytes: bytes))
    }

    /// Nothing: the bytes were handed over by `write`.
    func flush() throws(TFRecordError) {}
    /// Nothing: the stream ends in `commit()`, after every compressor has finished.
    func finish() throws(TFRecordError) {}

    /// Publishes the stream (the caller's `finish()`).
    func commit() throws(TFRecordError) {
        guard !ended else { return }
        ended = true
        try sink.finish()
    }

    /// Discards the stream (the caller's `abandon()`), unless it already ended.
    func discard() {
        guard !ended else { return }
        ended = true
        sink.abandon()
    }
}
