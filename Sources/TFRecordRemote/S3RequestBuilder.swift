import Crypto
import Foundation
import NIOHTTP1

/// Builds the URL and signed headers of S3 API requests: the endpoint and addressing style of an
/// ``S3Configuration``, keys encoded per path segment, the query encoded and sorted, SigV4 headers
/// (or none, for anonymous access).
struct S3RequestBuilder: Sendable {
    /// Where and as whom requests go.
    let configuration: S3Configuration
    /// The signer, `nil` for anonymous access.
    let signer: SigV4Signer?

    /// Makes a builder for a configuration.
    init(configuration: S3Configuration) {
        self.configuration = configuration
        self.signer = configuration.credentials.map { SigV4Signer(credentials: $0, region: configuration.region) }
    }

    /// Whether a bucket name can be a DNS label of a TLS wildcard name (virtual-host addressing).
    static func isVirtualHostCompatible(_ bucket: String) -> Bool {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return alphanumeric(bytes.first!) && alphanumeric(bytes.last!)
            && bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// Builds a request.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - bucket: The bucket.
    ///   - key: The object key, or `nil` for bucket operations (listing).
    ///   - query: The query pairs, not encoded.
    ///   - headers: Headers sent but not signed (`Range`, `If-Match`, `Content-Type`).
    ///   - body: The body, hashed for `x-amz-content-sha256`.
    ///   - bodyHash: The body's hex SHA-256 when already known (retries), to hash it only once.
    ///   - date: The signing time.
    /// - Returns: The request, URL and headers final.
    /// - Complexity: O(n) in the request's size, plus a SHA-256 of the body when signed.
    func request(
        _ method: HTTPMethod, bucket: String, key: String?, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: [UInt8]? = nil, bodyHash: String? = nil, date: Date
    ) -> TransportRequest {
        let (scheme, host, path) = location(bucket: bucket, key: key)
        let queryString = SigV4Signer.canonicalQuery(query)
        let url = "\(scheme)://\(host)\(path)" + (queryString.isEmpty ? "" : "?\(queryString)")
        var all: [(String, String)] = [("Host", host)]
        if let signer {
            let payloadHash = bodyHash ?? body.map { SigV4Signer.hex(SHA256.hash(data: $0)) } ?? SigV4Signer.emptyPayloadHash
            all += signer.sign(
                method: method.rawValue, host: host, encodedPath: path, query: query, payloadHash: payloadHash, date: date)
        }
        all += headers
        return TransportRequest(method: method, url: url, headers: all, body: body)
    }

    /// The scheme, `Host` and encoded path of a bucket or object.
    func location(bucket: String, key: String?) -> (scheme: String, host: String, path: String) {
        let encodedKey = key.map { URIEncoding.encodePath($0) }
        let scheme: String
        let endpointHost: String
        if let endpoint = configuration.endpoint, let separator = endpoint.range(of: "://") {
            scheme = String(endpoint[..<separator.lowerBound])
            endpointHost = String(endpoint[separator.upperBound...])
        } else {
            scheme = "https"
            endpointHost = "s3.\(configuration.region).amazonaws.com"
        }
        let virtualHost: Bool
        switch configuration.addressingStyle {
        case .path: virtualHost = false
        case .virtualHost: virtualHost = true
        case .automatic: virtualHost = configuration.endpoint == nil && Self.isVirtualHostCompatible(bucket)
        }
        if virtualHost {
            return (scheme, "\(bucket).\(endpointHost)", "/" + (encodedKey ?? ""))
        }
        return (scheme, endpointHost, "/\(bucket)" + (encodedKey.map { "/" + $0 } ?? ""))
    }
}
