import TFRecord
/// An error reading, parsing or converting a `tf.train.Example` / `SequenceExample`.
///
/// Wire-format damage carries `byteOffset`, the offset inside the record's payload where the
/// damage was found; spec errors carry the feature name. `recordNumber` and `path` are filled in
/// by the file-level APIs. `tfRecordError(recordOffset:)` turns one into the library's
/// `TFRecordError` (`.corrupted`) with the offset in the record stream.
public struct ExampleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// The payload is not valid protobuf wire format for the message (truncated varint,
        /// length past the end, bad wire type, packed list of odd length, invalid UTF-8 key...).
        case malformed
        /// A fixed-length feature without a default is missing.
        case missingFeature
        /// A feature holds another kind of list than the spec asks for.
        case wrongKind
        /// A fixed-length feature holds the wrong number of values for its shape.
        case wrongCount
        /// JSON text is not valid JSON, or not the protobuf JSON mapping of the message.
        case invalidJSON
    }

    /// What went wrong.
    public var kind: Kind
    /// What happened, in a few words.
    public var detail: String
    /// Byte offset inside the record's payload (or the JSON text) where the damage was found.
    public var byteOffset: Int?
    /// The feature involved.
    public var feature: String?
    /// The record number (0-based) in its file, when known.
    public var recordNumber: Int?
    /// The file, when known.
    public var path: String?

    /// Creates an error.
    public init(_ kind: Kind, _ detail: String, byteOffset: Int? = nil, feature: String? = nil,
                recordNumber: Int? = nil, path: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.byteOffset = byteOffset
        self.feature = feature
        self.recordNumber = recordNumber
        self.path = path
    }

    /// e.g. `data.tfrecord: record 3: invalid Example at byte 17 of the record: length past the end`.
    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        if let recordNumber { text += "record \(recordNumber): " }
        switch kind {
        case .malformed:
            text += "invalid protobuf"
            if let byteOffset { text += " at byte \(byteOffset) of the record" }
            text += ": \(detail)"
        case .invalidJSON:
            text += "invalid JSON"
            if let byteOffset { text += " at byte \(byteOffset)" }
            text += ": \(detail)"
        case .missingFeature, .wrongKind, .wrongCount:
            if let feature { text += "feature '\(feature)': " }
            text += detail
        }
        return text
    }

    /// Returns a copy naming the record and file (keeping any already set).
    public func at(recordNumber: Int?, path: String?) -> ExampleError {
        var copy = self
        if copy.recordNumber == nil { copy.recordNumber = recordNumber }
        if copy.path == nil { copy.path = path }
        return copy
    }

    /// This error as a `TFRecordError` of kind `.corrupted` (or `.invalidArgument` for spec
    /// errors), with `offset` = `recordOffset` + 12 (the header) + `byteOffset`: the position of
    /// the damage in the uncompressed record stream.
    /// - Parameter recordOffset: the offset of the record's header in the stream, when known.
    /// - Returns: the equivalent `TFRecordError`.
    public func tfRecordError(recordOffset: UInt64? = nil) -> TFRecordError {
        var offset: UInt64?
        if let recordOffset, let byteOffset { offset = recordOffset + 12 + UInt64(byteOffset) }
        var copy = self
        copy.path = nil
        copy.recordNumber = nil
        return TFRecordError(kind == .malformed ? .corrupted : .invalidArgument, copy.description,
                             path: path, recordNumber: recordNumber, offset: offset)
    }
}
