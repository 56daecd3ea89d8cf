/// Where a `RecordWriter` sends its finished bytes when they do not go to a local file: an
/// object-store upload, a network stream, memory.
///
/// `RecordWriter(sink:name:options:)` frames and compresses records exactly as it does for a
/// file (the bytes are the same, for every compression and blocked mode) and hands them to
/// ``write(_:)`` in order, in pieces of up to the writer's buffer size (a record larger than
/// the buffer comes in three pieces). The sink decides what publishing means:
///
/// - ``finish()`` is called once, after the last byte, when the writer closes successfully.
///   An upload completes here, so an object appears under its final name only then.
/// - ``abandon()`` is called instead when the writer fails (a write or the compressor threw),
///   is abandoned, or its `close()` fails before `finish()`. An upload aborts here, so nothing
///   appears under the final name.
///
/// Exactly one of the two is called, once; no `write` follows either. All calls come from the
/// thread using the writer, one at a time, and may block (a network sink waits for parts in
/// flight there): give a sink that blocks only to writers used outside Swift concurrency's
/// cooperative thread pool, or wrap them as `TFRecordRemote.RemoteRecordWriter` does.
public protocol ByteSink: AnyObject {
    /// Consumes the next bytes of the stream; the span is valid only during the call.
    /// - Throws: `TFRecordError` (usually `.io`, naming the destination); the writer then fails
    ///   and calls ``abandon()``.
    /// - Complexity: the sink's; at most one copy of `bytes` is expected.
    func write(_ bytes: RawSpan) throws(TFRecordError)

    /// Publishes everything written: the stream is complete.
    /// - Throws: `TFRecordError` when it cannot be published; the sink must then leave nothing
    ///   under the final name (``abandon()`` is not called after a failed `finish()`).
    func finish() throws(TFRecordError)

    /// Discards everything written; nothing appears under the final name. Never throws: a
    /// sink that cannot clean up says so in its own way (a lifecycle rule for orphaned parts).
    func abandon()
}
