/// Where a decompressor or a sequential reader gets its (compressed) bytes: a local file
/// (`FileInput`, `read(2)`/`pread(2)` on a descriptor) or a `StoredObject` (`ObjectInput`).
///
/// One sequential position (`read(into:)`, `seek(to:)`), used by one thread; positioned reads
/// (`read(into:at:)`) do not move it and may come from any thread.
protocol ByteInput: AnyObject, Sendable {
    /// The file's path or the object's name, for messages.
    var path: String { get }

    /// Reads from the sequential position until `buffer` is full or the input ends.
    /// - Returns: the bytes read; fewer than `buffer.count` only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int

    /// Reads at `offset` without moving the sequential position.
    /// - Returns: the bytes read; fewer than `buffer.count` at the end (a file may also return
    ///   fewer, as `pread(2)` does).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(TFRecordError) -> Int

    /// Moves the sequential position.
    func seek(to offset: UInt64)

    /// The size in bytes.
    func size() throws(TFRecordError) -> UInt64

    /// A second input over the same bytes with its own sequential position.
    func reopened() throws(TFRecordError) -> any ByteInput

    /// The size of a positioned read worth one request: 64 KiB for a file, 1 MiB for an object
    /// (each read of an object is a round trip).
    var positionedReadSize: Int { get }
}
