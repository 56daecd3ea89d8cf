/// The default `StoredObjectChunks`: one `bytes(in:)` call of `chunkSize` bytes per piece, made
/// only when the reader asks (no read-ahead).
final class SerialObjectChunks: StoredObjectChunks {
    private let object: any StoredObject
    private var offset: UInt64
    private let chunkSize: UInt64

    init(object: any StoredObject, offset: UInt64, chunkSize: Int) {
        self.object = object
        self.offset = offset
        self.chunkSize = UInt64(max(1, chunkSize))
    }

    func next() throws(TFRecordError) -> [UInt8]? {
        guard offset < object.byteCount else { return nil }
        let end = min(object.byteCount, offset + chunkSize)
        let bytes = try object.bytes(in: offset..<end)
        offset = end
        return bytes
    }
}
