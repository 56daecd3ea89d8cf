import CSupport
/// Records of an uncompressed `StoredObject` read by offset: each record is one range
/// (`bytes(in:)`), checked as a mapped record is — the length CRC, the framed length against
/// where the index says the next record starts, and the payload CRC.
final class ObjectRecords: CopiedRecords {
    let object: any StoredObject

    init(object: any StoredObject) {
        self.object = object
    }

    func record(atOffset offset: UInt64, recordNumber: Int?, end: UInt64?,
                verifyingChecksums: Bool) throws(TFRecordError) -> [UInt8] {
        let end = end ?? object.byteCount
        guard offset < end, end <= object.byteCount else {
            throw TFRecordError(.corrupted, "the index places the record at \(offset)..<\(end), outside the \(object.byteCount)-byte object; rebuild it with `tfrecord index`",
                                path: object.name, recordNumber: recordNumber, offset: offset)
        }
        let bytes: [UInt8]
        do {
            bytes = try object.bytes(in: offset..<end)
        } catch {
            throw ObjectRecords.naming(error, recordNumber: recordNumber, offset: offset, object: object.name)
        }
        return try check(bytes, offset: offset, recordNumber: recordNumber, verifyingChecksums: verifyingChecksums)
    }

    /// `error` naming the object, and the record being read when it names none.
    static func naming(_ error: TFRecordError, recordNumber: Int?, offset: UInt64, object name: String) -> TFRecordError {
        var named = error.inFile(name)
        if named.recordNumber == nil { named.recordNumber = recordNumber }
        if named.offset == nil { named.offset = offset }
        return named
    }

    /// The payloads of many records fetched as one batch (`StoredObject.bytes(in: [ranges])`:
    /// neighbours merged, requests in parallel), each checked: a damaged record is its own
    /// failure, in its place.
    /// - Parameter records: each record's offset, its end (the next offset) and its number.
    /// - Throws: `.io` when the batch cannot be fetched.
    func checkedRecords(_ records: [(offset: UInt64, end: UInt64, recordNumber: Int)],
                        verifyingChecksums: Bool) throws(TFRecordError) -> [Result<[UInt8], TFRecordError>] {
        // Ranges the index places outside the object are not fetched: they fail in place.
        let inside = records.map { $0.offset < $0.end && $0.end <= object.byteCount }
        let wanted = records.indices.filter { inside[$0] }
        let fetched: [[UInt8]]
        do {
            fetched = try object.bytes(in: wanted.map { records[$0].offset..<records[$0].end })
        } catch {
            // Name the record whose bytes hold the offset the failure reached.
            let at = error.offset
            let record = wanted.first { at != nil && records[$0].offset <= at! && at! < records[$0].end }.map { records[$0] }
                ?? wanted.first.map { records[$0] }
            throw ObjectRecords.naming(error, recordNumber: record?.recordNumber, offset: record?.offset ?? 0, object: object.name)
        }
        guard fetched.count == inside.count(where: { $0 }) else {
            throw TFRecordError(.io, "asked for \(inside.count(where: { $0 })) ranges, got \(fetched.count)", path: object.name)
        }
        var result: [Result<[UInt8], TFRecordError>] = []
        result.reserveCapacity(records.count)
        var next = 0
        for (k, r) in records.enumerated() {
            guard inside[k] else {
                result.append(.failure(TFRecordError(.corrupted, "the index places the record at \(r.offset)..<\(r.end), outside the \(object.byteCount)-byte object; rebuild it with `tfrecord index`",
                                                     path: object.name, recordNumber: r.recordNumber, offset: r.offset)))
                continue
            }
            let bytes = fetched[next]
            next += 1
            result.append(Result { () throws(TFRecordError) -> [UInt8] in
                try check(bytes, offset: r.offset, recordNumber: r.recordNumber, verifyingChecksums: verifyingChecksums)
            })
        }
        return result
    }

    /// Checks one framed record (`bytes` is exactly the range the index gives it).
    private func check(_ bytes: [UInt8], offset: UInt64, recordNumber: Int?,
                       verifyingChecksums: Bool) throws(TFRecordError) -> [UInt8] {
        let header = Int(CSUPPORT_TFRECORD_HEADER_SIZE)
        let footer = Int(CSUPPORT_TFRECORD_FOOTER_SIZE)
        guard bytes.count >= header + footer else {
            throw TFRecordError(.corrupted, "the index gives the record \(bytes.count) bytes, fewer than a record's 16 bytes of framing; rebuild it with `tfrecord index`",
                                path: object.name, recordNumber: recordNumber, offset: offset)
        }
        var length: UInt64 = 0
        guard bytes.withUnsafeBytes({ csupport_read_header($0.baseAddress, &length) }) != 0 else {
            throw TFRecordError(.corrupted, "length checksum mismatch", path: object.name, recordNumber: recordNumber, offset: offset)
        }
        guard length == UInt64(bytes.count - header - footer) else {
            throw TFRecordError(.corrupted, "the record ends at \(offset &+ length &+ UInt64(header + footer)) but the index says the next record starts at \(offset + UInt64(bytes.count)): the index does not match the object; rebuild it with `tfrecord index`",
                                path: object.name, recordNumber: recordNumber, offset: offset)
        }
        let payload = Array(bytes[header ..< header + Int(length)])
        if verifyingChecksums {
            let stored = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: header + Int(length), as: UInt32.self)) }
            guard CRC32C.mask(CRC32C.checksum(payload)) == stored else {
                throw TFRecordError(.corrupted, "payload checksum mismatch (\(length) bytes)", path: object.name,
                                    recordNumber: recordNumber, offset: offset + UInt64(header))
            }
        }
        return payload
    }
}
