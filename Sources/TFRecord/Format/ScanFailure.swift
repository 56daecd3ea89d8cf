import CSupport

/// Turns a stopped C scan into the library error, with TensorFlow's offsets: the header offset
/// for framing damage, the payload offset (header + 12) for a payload checksum mismatch.
enum ScanFailure {
    /// The error for `result`, or nil when the scan ended cleanly.
    /// - Parameters:
    ///   - result: what `csupport_scan_records` returned.
    ///   - recordNumber: the number of the record at `result.position`.
    ///   - base: the uncompressed offset of the scanned region's first byte.
    ///   - remaining: bytes left at `result.position` (for the truncated-header message).
    ///   - head: the first bytes of the scanned file (or decompressed stream): when the scan
    ///     stopped at offset 0, they say what the file is instead (`FileSignature`).
    ///   - decompressed: whether `head` is the start of a decompressed stream.
    static func error(for result: csupport_scan_result, recordNumber: Int?, base: UInt64 = 0,
                      remaining: UInt64, path: String?, head: UnsafeRawBufferPointer? = nil,
                      decompressed: Bool = false) -> TFRecordError? {
        let at = base + result.position
        let status = csupport_scan_status(UInt32(result.status))
        if at == 0, status != CSUPPORT_SCAN_OK, status != CSUPPORT_SCAN_BAD_DATA_CRC, let head, !head.isEmpty,
           let hint = FileSignature.hint(head, decompressed: decompressed) {
            return TFRecordError(.corrupted, hint, path: path, recordNumber: recordNumber, offset: 0)
        }
        switch status {
        case CSUPPORT_SCAN_OK:
            return nil
        case CSUPPORT_SCAN_TRUNCATED_HEADER:
            return TFRecordError(.truncated, "\(remaining) byte(s) left, fewer than a 12-byte header (TensorFlow stops here silently); the file was cut or has trailing bytes",
                                 path: path, recordNumber: recordNumber, offset: at)
        case CSUPPORT_SCAN_BAD_LENGTH_CRC:
            return TFRecordError(.corrupted, "length checksum mismatch (is this a TFRecord file, and is its compression right?)",
                                 path: path, recordNumber: recordNumber, offset: at)
        case CSUPPORT_SCAN_TRUNCATED_RECORD:
            if result.length > UInt64.max - UInt64(CSUPPORT_TFRECORD_FOOTER_SIZE) {
                return TFRecordError(.corrupted, "record size too large: the length field claims \(result.length) bytes",
                                     path: path, recordNumber: recordNumber, offset: at)
            }
            return TFRecordError(.truncated, "the header claims \(result.length) payload bytes but only \(remaining - UInt64(CSUPPORT_TFRECORD_HEADER_SIZE)) byte(s) follow it (with the 4-byte checksum)",
                                 path: path, recordNumber: recordNumber, offset: at)
        case CSUPPORT_SCAN_BAD_DATA_CRC:
            let payload = at + UInt64(CSUPPORT_TFRECORD_HEADER_SIZE)
            return TFRecordError(.corrupted, "payload checksum mismatch (\(result.length) bytes)",
                                 path: path, recordNumber: recordNumber, offset: payload)
        default:
            return TFRecordError(.corrupted, "unknown scan status \(result.status)", path: path,
                                 recordNumber: recordNumber, offset: at)
        }
    }
}
