import Dispatch

/// Writes a file on a background thread while the writer frames the next records
/// (`WriteOptions.writesInBackground`). For small uncompressed records most of a write is the
/// kernel copying bytes into the page cache; with this sink that copy overlaps the framing.
///
/// The writer's buffer is copied into one of two staging buffers and handed to a Dispatch
/// worker; at most one write is in flight, so memory stays at two buffers and the bytes reach
/// the file in order. A failed write is reported by the next `write`, `flush` or `finish`.
///
/// Unsafe boundary: the staging buffers are shared with the worker. `idle` hands them over:
/// the worker touches only the buffer it was given, between `submit` and its `idle.signal()`,
/// and the writer's thread fills the other one.
final class BackgroundFileSink: RecordSink, @unchecked Sendable {
    private let file: FileSink
    private let staging: [UnsafeMutableRawBufferPointer]
    /// The staging buffer the next write fills (the other one may be in flight).
    private var next = 0
    /// 1 while no write is in flight.
    private let idle = DispatchSemaphore(value: 1)
    /// The first failure of a background write; written by the worker before it signals `idle`,
    /// read by the writer's thread after waiting on it.
    private var failure: TFRecordError?

    /// A sink writing to `file` in the background, in writes of at most `capacity` bytes.
    init(file: FileSink, capacity: Int) {
        self.file = file
        staging = [.allocate(byteCount: max(capacity, 64), alignment: 16),
                   .allocate(byteCount: max(capacity, 64), alignment: 16)]
    }

    deinit {
        waitForPendingWrites()  // a write still in flight uses a staging buffer
        for buffer in staging { buffer.deallocate() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        guard !bytes.isEmpty else { return }
        let buffer = staging[next]
        guard bytes.count <= buffer.count else {
            // Larger than a staging buffer (a record bigger than the writer's buffer): written
            // in place once the write in flight is done.
            try waitForWrites()
            try file.write(bytes)
            return
        }
        buffer.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        idle.wait()
        if let failure {
            idle.signal()
            throw failure
        }
        let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: bytes.count)
        let task = BackgroundWrite(sink: self, chunk: chunk)
        DispatchQueue.global().async { task.run() }
        next ^= 1
    }

    /// Runs on the worker: writes one staging buffer, records a failure, releases `idle`.
    fileprivate func writeInBackground(_ chunk: UnsafeRawBufferPointer) {
        do throws(TFRecordError) {
            try file.write(chunk)
        } catch {
            if failure == nil { failure = error }
        }
        idle.signal()
    }

    func waitForPendingWrites() {
        idle.wait()
        idle.signal()  // back to its initial value: libdispatch refuses to free it below that
    }

    /// Waits until no write is in flight; throws the first background failure (written before
    /// the worker's signal, so visible once the wait returns).
    private func waitForWrites() throws(TFRecordError) {
        waitForPendingWrites()
        if let failure { throw failure }
    }

    func flush() throws(TFRecordError) { try waitForWrites() }
    func finish() throws(TFRecordError) { try waitForWrites() }
}

/// One staging buffer on its way to the worker (the pointer is only read there, see
/// `BackgroundFileSink`).
private struct BackgroundWrite: @unchecked Sendable {
    let sink: BackgroundFileSink
    let chunk: UnsafeRawBufferPointer

    func run() { sink.writeInBackground(chunk) }
}
