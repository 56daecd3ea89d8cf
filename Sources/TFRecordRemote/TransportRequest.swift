import NIOHTTP1

/// One HTTP request as the stores build it, signed if needed, ready for ``HTTPTransport``.
struct TransportRequest: Sendable {
    /// The method.
    var method: HTTPMethod
    /// The full URL, already percent-encoded exactly as signed.
    var url: String
    /// The headers, `Host` included when signed.
    var headers: [(String, String)]
    /// The body, or `nil`.
    var body: [UInt8]?
}
