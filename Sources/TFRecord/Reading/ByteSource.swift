/// A producer of the (uncompressed) bytes of a record stream, read in pieces.
///
/// Decompressors implement it; `FileByteSource` reads a plain file with `read(2)`.
protocol ByteSource: AnyObject {
    /// Reads the next bytes into `buffer` (which is never empty).
    /// - Returns: the number of bytes written; 0 only at the end of the stream.
    /// - Throws: `TFRecordError` (`.io`, `.compression`, `.truncated`).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int

    /// The offset in the underlying file of the next byte to be consumed, for error messages of
    /// compressed input; nil for plain files.
    var compressedOffset: UInt64? { get }
}
