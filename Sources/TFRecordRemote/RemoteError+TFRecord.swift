import TFRecord

extension RemoteError {
    /// This error as the core's `TFRecordError`, for the readers and writers of remote objects:
    /// an invalid address or configuration is `.invalidArgument` (the CLI's exit code 2), every
    /// other failure `.io` (exit code 3), naming the object and the offset reached.
    ///
    /// - Complexity: O(1).
    public var tfRecordError: TFRecordError { tfRecordError(naming: nil) }

    /// ``tfRecordError``, naming `fallback` when the error carries no address of its own (an
    /// upload's prefix or destination, say).
    ///
    /// - Complexity: O(1).
    public func tfRecordError(naming fallback: String?) -> TFRecordError {
        var text = kind.words + " error"
        if let offset { text += " at offset \(offset)" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        text += ": " + message
        let coreKind: TFRecordError.Kind = kind == .invalidAddress || kind == .invalidConfiguration ? .invalidArgument : .io
        return TFRecordError(coreKind, text, path: address ?? fallback, offset: offset.map { UInt64(max(0, $0)) })
    }

    /// Any error of the remote layer (or the core's own) as a `TFRecordError` naming `address`:
    /// a `TFRecordError` as it is, anything else as `.io`.
    static func tfRecordError(_ error: any Error, address: String) -> TFRecordError {
        if let error = error as? TFRecordError { return error }
        if let error = error as? RemoteError { return error.tfRecordError(naming: address) }
        return TFRecordError(.io, "\(error)", path: address)
    }
}
