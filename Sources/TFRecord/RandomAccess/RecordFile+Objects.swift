/// Batches over stored objects: the records of a batch that live in uncompressed objects are
/// fetched ahead, one `StoredObject.bytes(in: ranges)` call per object and window (which a
/// remote object plans: ranges sorted, neighbours merged, requests in parallel), then all are
/// delivered in the order asked.
extension RecordFile {
    /// Records fetched ahead per window of a batch (bounds the memory held: a window's payloads).
    static let objectBatchWindow = 4096

    /// The framed byte range of record `i` as the index gives it: its offset and the next
    /// record's offset (or the stream's end).
    func indexedRange(ofRecord i: Int) -> (offset: UInt64, end: UInt64) {
        precondition(i >= 0 && i < count, "record number \(i) is out of range: \(path) has \(count) record(s)")
        return (index.offset(ofRecord: i), i + 1 < count ? index.offset(ofRecord: i + 1) : index.streamSize)
    }

    /// `forEachRecord(count:file:record:verifyingChecksums:_:)` for batches that touch stored
    /// objects: windows of `objectBatchWindow` records, the uncompressed-object records of each
    /// window fetched as one batch per object; the others read one by one as usual.
    ///
    /// A damaged record is thrown when its turn comes (the records before it are delivered);
    /// a request that fails after its retries is thrown before the window is delivered.
    static func forEachRecordFetchingAhead(count n: Int, file: (Int) -> RecordFile, record: (Int) -> Int,
                                           verifyingChecksums: Bool,
                                           _ body: (_ k: Int, _ payload: RawSpan) throws -> Void) throws {
        var start = 0
        while start < n {
            let end = min(n, start + objectBatchWindow)
            var fetched = [Result<[UInt8], TFRecordError>?](repeating: nil, count: end - start)
            var groups: [ObjectIdentifier: (reader: ObjectRecords, ks: [Int])] = [:]
            var order: [ObjectIdentifier] = []
            for k in start..<end {
                guard let reader = file(k).copied as? ObjectRecords else { continue }
                let id = ObjectIdentifier(reader)
                if groups[id] == nil {
                    groups[id] = (reader, [])
                    order.append(id)
                }
                groups[id]!.ks.append(k)
            }
            for id in order {
                let (reader, ks) = groups[id]!
                let wanted = ks.map { k in
                    let range = file(k).indexedRange(ofRecord: record(k))
                    return (offset: range.offset, end: range.end, recordNumber: record(k))
                }
                let results = try reader.checkedRecords(wanted, verifyingChecksums: verifyingChecksums)
                for (j, k) in ks.enumerated() { fetched[k - start] = results[j] }
            }
            for k in start..<end {
                if let result = fetched[k - start] {
                    let payload = try result.get()
                    try body(k, payload.span.bytes)
                } else {
                    try forEachRecord(count: 1, file: { _ in file(k) }, record: { _ in record(k) },
                                      verifyingChecksums: verifyingChecksums) { _, payload in try body(k, payload) }
                }
            }
            start = end
        }
    }
}
