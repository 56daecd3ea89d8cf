import NIOHTTP1

/// A whole (bounded) HTTP answer: status, headers and body.
struct TransportResponse: Sendable {
    /// The status code.
    var status: Int
    /// The headers.
    var headers: HTTPHeaders
    /// The body, at most the bound the request was sent with.
    var body: [UInt8]
}
