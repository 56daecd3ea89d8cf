/// Where a `RecordWriter` sends framed bytes: a file, or a compressor in front of one.
protocol RecordSink: AnyObject {
    /// Consumes `bytes` (the sink may buffer them).
    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError)
    /// Pushes everything written so far to the operating system (a compressor emits a flush
    /// point first).
    func flush() throws(TFRecordError)
    /// Ends the stream (a compressor writes its trailer) and flushes; no write may follow.
    func finish() throws(TFRecordError)
    /// Returns once no write to the file is in progress on another thread, so the file
    /// descriptor may be closed (only `BackgroundFileSink` writes from another thread).
    func waitForPendingWrites()
}

extension RecordSink {
    func waitForPendingWrites() {}
}
