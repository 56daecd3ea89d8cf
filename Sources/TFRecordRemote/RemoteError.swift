/// The one error type of the remote layer: what went wrong, on which object, at which byte, after how
/// many requests.
///
/// Every failure of `TFRecordRemote` is thrown as a `RemoteError`, whatever its cause (a refused
/// address, a server answer, a transport failure after the retries ran out), so a caller can
/// switch on ``kind`` and print ``description``, which reads like
/// `s3://bucket/train-00001.tfrecord: I/O error at offset 8388608 after 5 attempts: HTTP 503 SlowDown`.
public struct RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; decides whether retrying could help.
    public enum Kind: String, Sendable, Equatable {
        /// The address cannot be parsed or names no object (`s3://` without a bucket, a port out of range).
        case invalidAddress
        /// The environment or a configuration file is unusable (a named profile that does not exist).
        case invalidConfiguration
        /// The object or bucket does not exist (HTTP 404, S3 `NoSuchKey`/`NoSuchBucket`).
        case notFound
        /// The server refused the credentials or the request (HTTP 401/403).
        case accessDenied
        /// The byte range asked for lies (partly) past the end of the object (HTTP 416, or a shorter object).
        case outOfRange
        /// The object changed between two requests of one read (its ETag or size no longer matches).
        case changed
        /// The server's answer breaks the protocol: a wrong `Content-Range`, hostile or malformed XML,
        /// more bytes than asked for, a missing header.
        case protocolViolation
        /// A body larger than the bound set for it.
        case tooLarge
        /// The operation is not offered by this kind of store (listing a plain HTTP server).
        case unsupported
        /// Transport failures and retryable server errors that did not go away within the attempts allowed.
        case io
        /// The surrounding task was cancelled.
        case cancelled
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The object's address as the user wrote it (`s3://bucket/key`), or `nil` when no object is involved.
    public var address: String?
    /// The byte offset in the object where the failing read started or stopped, when a read failed.
    public var offset: Int64?
    /// How many HTTP requests were made for the operation before it failed (0 when none was sent).
    public var attempts: Int
    /// The HTTP status of the last answer, when there was one.
    public var status: Int?
    /// The S3 error code of the last answer (`SlowDown`, `NoSuchKey`), when the server sent one.
    public var serverCode: String?
    /// A sentence about what happened, without the address or offset (those are printed around it).
    public var message: String

    /// Makes an error.
    ///
    /// - Parameters:
    ///   - kind: What kind of failure this is.
    ///   - address: The object's address, if any.
    ///   - offset: The byte offset the failure is about, if any.
    ///   - attempts: How many requests were made.
    ///   - status: The last HTTP status, if any.
    ///   - serverCode: The last S3 error code, if any.
    ///   - message: What happened.
    /// - Complexity: O(1).
    public init(
        _ kind: Kind, address: String? = nil, offset: Int64? = nil, attempts: Int = 0,
        status: Int? = nil, serverCode: String? = nil, message: String
    ) {
        self.kind = kind
        self.address = address
        self.offset = offset
        self.attempts = attempts
        self.status = status
        self.serverCode = serverCode
        self.message = message
    }

    /// `ADDRESS: KIND error at offset N after K attempts: MESSAGE`, leaving out the parts that are unknown.
    public var description: String {
        var text = ""
        if let address { text += address + ": " }
        text += kind.words + " error"
        if let offset { text += " at offset \(offset)" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        text += ": " + message
        return text
    }
}

extension RemoteError.Kind {
    /// The kind in the words printed by ``RemoteError/description``.
    var words: String {
        switch self {
        case .invalidAddress: "invalid address"
        case .invalidConfiguration: "configuration"
        case .notFound: "not found"
        case .accessDenied: "access denied"
        case .outOfRange: "out of range"
        case .changed: "object changed"
        case .protocolViolation: "protocol"
        case .tooLarge: "too large"
        case .unsupported: "unsupported"
        case .io: "I/O"
        case .cancelled: "cancelled"
        }
    }
}
