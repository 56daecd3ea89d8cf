import TFRecord

extension RemoteError {
    /// This error as the core's `TFRecordError`, for readers of remote objects: an invalid
    /// address or configuration is `.invalidArgument` (the CLI's exit code 2), every other
    /// failure `.io` (exit code 3), naming the object and the offset reached.
    ///
    /// - Complexity: O(1).
    public var tfRecordError: TFRecordError {
        var text = kind.words + " error"
        if let offset { text += " at offset \(offset)" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        text += ": " + message
        let coreKind: TFRecordError.Kind = kind == .invalidAddress || kind == .invalidConfiguration ? .invalidArgument : .io
        return TFRecordError(coreKind, text, path: address, offset: offset.map { UInt64(max(0, $0)) })
    }
}
