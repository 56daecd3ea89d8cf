/// The one error type of the library: what went wrong, where, and in which record.
///
/// Messages keep TensorFlow's words ("corrupted record at 1234", "truncated record at 1234"),
/// which are what users search for, and add the file, the record number and what to do.
public struct TFRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// A checksum does not match, or the bytes are not TFRecord framing.
        case corrupted
        /// The data ends in the middle of a record (or a compressed stream).
        case truncated
        /// An operating system call failed (missing file, permission, disk full...).
        case io
        /// A compressed stream is damaged or is not the format it was said to be.
        case compression
        /// The caller passed an argument that cannot be used.
        case invalidArgument
    }

    /// The kind of failure.
    public var kind: Kind
    /// The file involved, when there is one.
    public var path: String?
    /// The number (0-based) of the record involved, when known.
    public var recordNumber: Int?
    /// Byte offset in the uncompressed record stream, as TensorFlow reports it: the header offset
    /// for framing damage, the payload offset for a payload checksum mismatch.
    public var offset: UInt64?
    /// Byte offset in the compressed file, for compressed input.
    public var compressedOffset: UInt64?
    /// What happened, in a few words.
    public var detail: String
    /// The `errno` value behind an `.io` error.
    public var errno: Int32?

    /// Creates an error; every field but `kind` and `detail` is optional.
    public init(_ kind: Kind, _ detail: String, path: String? = nil, recordNumber: Int? = nil,
                offset: UInt64? = nil, compressedOffset: UInt64? = nil, errno: Int32? = nil) {
        self.kind = kind
        self.detail = detail
        self.path = path
        self.recordNumber = recordNumber
        self.offset = offset
        self.compressedOffset = compressedOffset
        self.errno = errno
    }

    /// `PATH: <kind> record <n> at offset <offset>: <detail>` in TensorFlow's vocabulary.
    public var description: String {
        var text = ""
        switch kind {
        case .corrupted, .truncated:
            text = "\(kind.rawValue) record"
            if let recordNumber { text += " \(recordNumber)" }
            if let offset { text += " at offset \(offset)" }
            if let compressedOffset { text += " (compressed offset \(compressedOffset))" }
            text += ": \(detail)"
        case .compression:
            text = "compressed stream error"
            if let recordNumber { text += " in record \(recordNumber)" }
            if let offset { text += " at offset \(offset)" }
            if let compressedOffset { text += " (compressed offset \(compressedOffset))" }
            text += ": \(detail)"
        case .io, .invalidArgument:
            text = detail
            if let errno { text += " (\(SystemCalls.message(for: errno)))" }
            // An I/O failure while a record was being read (a remote object after its retries).
            if kind == .io, let recordNumber { text = "reading record \(recordNumber): " + text }
        }
        if let path { return "\(path): \(text)" }
        return text
    }

    /// The message TensorFlow gives for the same damage ("corrupted record at 154",
    /// "truncated record at 142"), for `.corrupted` and `.truncated` errors with an offset.
    public var tensorFlowMessage: String? {
        guard let offset, kind == .corrupted || kind == .truncated else { return nil }
        return "\(kind.rawValue) record at \(offset)"
    }

    /// Returns a copy naming `path`, keeping any path already set.
    func inFile(_ path: String) -> TFRecordError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}
