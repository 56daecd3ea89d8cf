import TFRecord

extension RemoteError {
    /// This error in the core's terms, for the core's writers and the CLI's exit codes: a
    /// refused address or configuration is `.invalidArgument` (exit 2), every other failure
    /// (`notFound`, `accessDenied`, retries run out, a protocol violation...) is `.io` (exit 3).
    /// The path is the object's address (or `fallback`), the detail everything else
    /// ``description`` says.
    /// - Complexity: O(message).
    public func recordError(fallback: String? = nil) -> TFRecordError {
        var detail = kind.words + " error"
        if let offset { detail += " at offset \(offset)" }
        if attempts > 1 { detail += " after \(attempts) attempts" }
        detail += ": " + message
        let kind: TFRecordError.Kind = (self.kind == .invalidAddress || self.kind == .invalidConfiguration) ? .invalidArgument : .io
        return TFRecordError(kind, detail, path: address ?? fallback)
    }

    /// Any error of the remote layer (or the core's own) as a `TFRecordError` naming `address`.
    static func recordError(_ error: any Error, address: String) -> TFRecordError {
        if let error = error as? TFRecordError { return error }
        if let error = error as? RemoteError { return error.recordError(fallback: address) }
        return TFRecordError(.io, "\(error)", path: address)
    }
}
