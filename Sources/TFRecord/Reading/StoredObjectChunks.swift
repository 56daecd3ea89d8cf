/// A `StoredObject`'s bytes in order, piece by piece (see `StoredObject.chunks(from:)`).
///
/// Used by one thread at a time. Dropping it stops any read-ahead.
public protocol StoredObjectChunks: AnyObject {
    /// The next piece (never empty), or nil after the last byte.
    /// - Throws: `TFRecordError` (`.io`) naming the object and the offset that could not be read.
    func next() throws(TFRecordError) -> [UInt8]?
}
