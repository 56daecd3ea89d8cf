/// An AWS access key: the ID, the secret and, for temporary credentials, the session token.
///
/// `description` never prints the secret or the token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key ID (`AKIA…`, `ASIA…`).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token` and signed.
    public var sessionToken: String?
    /// Where the credentials came from (`environment`, `shared credentials file (profile default)`).
    public var source: String

    /// Makes credentials.
    ///
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token of temporary credentials, or `nil`.
    ///   - source: Where they came from, for messages.
    /// - Complexity: O(1).
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The key ID and the source; the secret and token are never printed.
    public var description: String { "\(accessKeyID) (from \(source))" }
}
