/// A `ByteInput` over a `StoredObject`: sequential reads pull the object's chunks (read ahead by
/// the object when it can), positioned reads are one `bytes(in:)` each.
final class ObjectInput: ByteInput, @unchecked Sendable {
    // @unchecked: the sequential state (chunks, position) is used by one thread, as the
    // `ByteInput` contract says; positioned reads touch only the immutable, Sendable object.
    let object: any StoredObject
    var path: String { object.name }
    private var position: UInt64
    private var chunks: (any StoredObjectChunks)?
    private var chunk: [UInt8] = []
    private var chunkStart = 0

    init(object: any StoredObject, position: UInt64 = 0) {
        self.object = object
        self.position = position
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        var done = 0
        while done < buffer.count {
            if chunkStart == chunk.count {
                guard position < object.byteCount else { break }
                if chunks == nil { chunks = try object.chunks(from: position) }
                guard let next = try chunks!.next(), !next.isEmpty else {
                    throw TFRecordError(.io, "the object ended at \(position) of its \(object.byteCount) bytes (a short read)",
                                        path: path, offset: position)
                }
                chunk = next
                chunkStart = 0
            }
            let n = min(buffer.count - done, chunk.count - chunkStart)
            chunk.withUnsafeBytes { source in
                buffer.baseAddress!.advanced(by: done).copyMemory(from: source.baseAddress! + chunkStart, byteCount: n)
            }
            chunkStart += n
            done += n
            position += UInt64(n)
        }
        return done
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(TFRecordError) -> Int {
        guard offset < object.byteCount, buffer.count > 0 else { return 0 }
        let end = min(object.byteCount, offset + UInt64(buffer.count))
        let bytes = try object.bytes(in: offset..<end)
        guard bytes.count == Int(end - offset) else {
            throw TFRecordError(.io, "asked for \(end - offset) bytes, got \(bytes.count) (a short read)", path: path, offset: offset)
        }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return bytes.count
    }

    func seek(to offset: UInt64) {
        position = min(offset, object.byteCount)
        chunks = nil
        chunk = []
        chunkStart = 0
    }

    func size() throws(TFRecordError) -> UInt64 { object.byteCount }

    func reopened() throws(TFRecordError) -> any ByteInput { ObjectInput(object: object, position: position) }

    var positionedReadSize: Int { 1 << 20 }
}
