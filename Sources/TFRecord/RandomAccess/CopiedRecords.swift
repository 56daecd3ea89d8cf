/// Where `RecordFile` gets a record that it delivers from a copy rather than from its map: a
/// compressed local shard (`CompressedFile`) or a stored object (`ObjectRecords`, `CompressedFile`
/// over an `ObjectInput`).
protocol CopiedRecords: AnyObject, Sendable {
    /// The checked payload of the record whose header is at (uncompressed) `offset` and which
    /// must end at `end`.
    /// - Throws: `.corrupted`/`.truncated` for damage or an index that does not match, `.io`.
    func record(atOffset offset: UInt64, recordNumber: Int?, end: UInt64?,
                verifyingChecksums: Bool) throws(TFRecordError) -> [UInt8]
}

extension CompressedFile: CopiedRecords {}
