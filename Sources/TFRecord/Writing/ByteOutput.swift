/// The end of a writer's chain of sinks, where finished bytes leave the writer: a local file
/// (`FileSink`) or a caller's `ByteSink` (`ExternalSink`). Compressors write into one.
protocol ByteOutput: RecordSink {
    /// The destination's name for error messages (the file's path, or the sink's name).
    var path: String { get }
}

extension FileSink: ByteOutput {}
