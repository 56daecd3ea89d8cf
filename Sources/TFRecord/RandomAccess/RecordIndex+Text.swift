import CSupport
/// The text index of the PyPI `tfrecord` package (`tfrecord2idx`) and NVIDIA DALI
/// (`tfrecord2idx`): one line per record, `"<offset> <framed length>\n"`, where the framed length
/// is 12 + payload + 4 bytes. A file with no records gives an empty index.
extension RecordIndex {
    /// This index as `tfrecord2idx` writes it: `"<offset> <framed length>\n"` per record, the
    /// lengths read from the shard's (checked) headers.
    ///
    /// Lengths are derived from consecutive offsets (the next offset, or the stream size for the
    /// last record), which equals the framed length for an index that matches its shard.
    /// - Returns: the text, empty for an empty shard.
    /// - Complexity: O(count).
    public func textRepresentation() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(count * 16)
        for i in 0..<count {
            let start = table.offset(i)
            let end = i + 1 < count ? table.offset(i + 1) : streamSize
            appendDecimal(start, to: &out)
            out.append(UInt8(ascii: " "))
            appendDecimal(end - start, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `textRepresentation()` to `path`, atomically (temporary file, then rename).
    /// - Throws: `TFRecordError.io`.
    public func writeText(to path: String) throws(TFRecordError) {
        let text = Array(textRepresentation().utf8)
        try SystemCalls.replaceAtomically(path, sync: false) { fd, temporary throws(TFRecordError) in
            try withBytes(text) { bytes throws(TFRecordError) in
                try SystemCalls.writeAll(fd, bytes, path: temporary)
            }
        }
    }

    /// Imports a `tfrecord2idx` text index of `file`, checking every entry against the shard.
    ///
    /// Each line must be `<offset> <length>` (separated by spaces or tabs; blank lines and a
    /// missing final newline are accepted). The entries must start at 0, follow each other
    /// without gaps, end exactly at the end of the file, and each must be a record whose length
    /// CRC checks and whose framed length (12 + payload + 4) is the given length.
    /// - Parameters:
    ///   - text: the index text.
    ///   - file: the shard it indexes.
    ///   - verifyingChecksums: also check every payload CRC.
    /// - Returns: the index, with the shard's current identity.
    /// - Throws: `.corrupted` naming the line (as the record number) and offset of the first
    ///   entry that does not match the shard or cannot be parsed.
    /// - Complexity: O(count) header checks, O(size) with payload checks.
    package static func importText(_ text: String, for file: MappedFile,
                                  verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        var offsets: [UInt64] = []
        var expected: UInt64 = 0
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
            if fields.isEmpty { continue }
            let record = offsets.count
            guard fields.count == 2, let offset = parseDecimal(fields[0]), let length = parseDecimal(fields[1]) else {
                throw TFRecordError(.corrupted, "text index line \(lineNumber) is not `<offset> <length>`",
                                    path: file.path, recordNumber: record)
            }
            guard offset == expected else {
                throw TFRecordError(.corrupted, "text index line \(lineNumber) says record \(record) starts at \(offset), but the previous record ends at \(expected)",
                                    path: file.path, recordNumber: record, offset: offset)
            }
            let payload = try file.payloadBytes(atOffset: offset, recordNumber: record, verifyingChecksums: verifyingChecksums)
            let framed = UInt64(payload.count) + UInt64(CSUPPORT_TFRECORD_HEADER_SIZE + CSUPPORT_TFRECORD_FOOTER_SIZE)
            guard framed == length else {
                throw TFRecordError(.corrupted, "text index line \(lineNumber) gives length \(length), but the record's header gives \(framed) framed bytes",
                                    path: file.path, recordNumber: record, offset: offset)
            }
            offsets.append(offset)
            expected = offset + length
        }
        guard expected == UInt64(file.byteCount) else {
            throw TFRecordError(.corrupted, "the text index ends at byte \(expected) but the file has \(file.byteCount) bytes: entries are missing",
                                path: file.path, recordNumber: offsets.count, offset: expected)
        }
        let identity = try ShardIdentity.of(fd: file.fd, path: file.path)
        return RecordIndex(table: OffsetTable(copying: offsets), shard: identity, compression: .none,
                           checksumsVerified: verifyingChecksums, streamSize: expected)
    }

    /// Imports a text index (DALI's `tfrecord2idx` format) of an uncompressed stored object.
    ///
    /// The entries must parse, start at 0, follow each other without gaps and end exactly at the
    /// object's end. The records themselves are not read here (each would be a request): every
    /// lookup through `RecordFile(object:index:)` checks its record's length CRC and that its
    /// framed length is the entry's, so an entry that does not match the object is reported
    /// when it is used, never trusted.
    /// - Parameters:
    ///   - text: the index text.
    ///   - object: the shard it indexes.
    /// - Returns: the index, with the object's identity (size, fingerprint).
    /// - Throws: `.corrupted` naming the first line that cannot be parsed or does not fit;
    ///   `.io` when the object's fingerprint cannot be read.
    /// - Complexity: O(lines), plus the fingerprint's one or two reads.
    public static func importText(_ text: String, forObject object: any StoredObject) throws(TFRecordError) -> RecordIndex {
        var offsets: [UInt64] = []
        var expected: UInt64 = 0
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
            if fields.isEmpty { continue }
            let record = offsets.count
            guard fields.count == 2, let offset = parseDecimal(fields[0]), let length = parseDecimal(fields[1]) else {
                throw TFRecordError(.corrupted, "text index line \(lineNumber) is not `<offset> <length>`",
                                    path: object.name, recordNumber: record)
            }
            guard offset == expected, length >= 16, length <= object.byteCount - min(offset, object.byteCount) else {
                throw TFRecordError(.corrupted, "text index line \(lineNumber) says record \(record) is \(length) bytes at \(offset), but the previous record ends at \(expected) and the object has \(object.byteCount) bytes",
                                    path: object.name, recordNumber: record, offset: offset)
            }
            offsets.append(offset)
            expected = offset + length
        }
        guard expected == object.byteCount else {
            throw TFRecordError(.corrupted, "the text index ends at byte \(expected) but the object has \(object.byteCount) bytes: entries are missing",
                                path: object.name, recordNumber: offsets.count, offset: expected)
        }
        return RecordIndex(table: OffsetTable(copying: offsets), shard: try ShardIdentity.of(object: object), compression: .none,
                           checksumsVerified: false, streamSize: expected)
    }

    /// Reads and imports the text index at `indexPath`; see `importText(_:for:verifyingChecksums:)`.
    /// - Throws: `.io` when it cannot be read, `.corrupted` for a bad entry.
    package static func importText(contentsOf indexPath: String, for file: MappedFile,
                                  verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        let descriptor = try FileDescriptor(opening: indexPath, .read)
        let fd = descriptor.raw
        let size = try SystemCalls.size(fd, path: indexPath)
        var bytes = [UInt8](repeating: 0, count: size)
        let n = try bytes.withMutableBytes { (buffer) throws(TFRecordError) in
            try SystemCalls.readFully(fd, buffer, path: indexPath)
        }
        return try importText(String(decoding: bytes[0..<n], as: UTF8.self), for: file, verifyingChecksums: verifyingChecksums)
    }

    /// Imports the text index at `indexPath` (DALI's `tfrecord2idx` format) of the uncompressed
    /// shard at `shardPath`, checking every entry against the shard.
    /// - Parameters:
    ///   - indexPath: the text index.
    ///   - shardPath: the shard it indexes.
    ///   - verifyingChecksums: also check every payload CRC.
    /// - Returns: the index, with the shard's current identity.
    /// - Throws: `.io` when either file cannot be read; `.corrupted` naming the first entry that
    ///   does not match the shard or cannot be parsed.
    /// - Complexity: O(count) header checks, O(size) with payload checks.
    public static func importText(contentsOf indexPath: String, forShardAt shardPath: String,
                                  verifyingChecksums: Bool = false) throws(TFRecordError) -> RecordIndex {
        try importText(contentsOf: indexPath, for: MappedFile(path: shardPath, access: .random),
                       verifyingChecksums: verifyingChecksums)
    }
}

private func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
    if value == 0 { out.append(UInt8(ascii: "0")); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var v = value
    var n = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
        while v > 0 {
            buffer[n] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            n += 1
        }
        for k in stride(from: n - 1, through: 0, by: -1) { out.append(buffer[k]) }
    }
}

private func parseDecimal<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
    guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
    var value: UInt64 = 0
    for byte in bytes {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
        if o1 || o2 { return nil }
        value = sum
    }
    return value
}
