import NIOHTTP1

/// Objects served by plain HTTP(S) servers (nginx, a CDN, GCS's public endpoint for `gs://`): HEAD
/// and ranged GET, no listing, no writes.
///
/// A server that answers a ranged GET with the whole object (200) is read only up to the range's end
/// and only when the range starts within `maximumDiscard` bytes; the bytes before it are dropped, never
/// delivered.
public struct HTTPObjectStore: ObjectStore {
    let transport: HTTPTransport
    let limits: RemoteConfiguration

    init(configuration: RemoteConfiguration, transport: HTTPTransport) {
        self.transport = transport
        self.limits = configuration
    }

    /// The object's size and ETag (HEAD).
    ///
    /// - Parameter address: An `http(s)://` or `gs://` address.
    /// - Returns: Its size and ETag.
    /// - Throws: ``RemoteError``: `invalidAddress` for `s3://`, `notFound`, `accessDenied`, `io` after
    ///   the retries, `protocolViolation` without a valid `Content-Length`.
    /// - Complexity: one request, plus retries.
    public func info(of address: ObjectAddress) async throws -> ObjectInfo {
        let url = try Self.url(address)
        let response = try await transport.send(address: address.description, bodyLimit: 0) {
            TransportRequest(method: .HEAD, url: url, headers: [], body: nil)
        }
        guard let text = response.headers.first(name: "content-length"), let size = Int64(text), size >= 0 else {
            throw RemoteError(
                .protocolViolation, address: address.description, message: "HEAD answer without a valid Content-Length")
        }
        return ObjectInfo(address: address, size: size, etag: response.headers.first(name: "etag"))
    }

    /// Reads bytes `range` of the object (ranged GET, resumed at the exact byte after failures).
    ///
    /// - Parameters:
    ///   - address: An `http(s)://` or `gs://` address.
    ///   - range: Non-empty, within the object, at most `maximumReadSize` bytes.
    ///   - etag: The ETag the object must have (`If-Match`), or `nil` for its current version.
    /// - Returns: Exactly `range.count` bytes.
    /// - Throws: ``RemoteError`` (see ``ObjectStore/read(_:range:)``); `unsupported` when the server
    ///   ignores `Range` and the range starts past `maximumDiscard`.
    /// - Complexity: one GET, plus one per resumption; memory O(range.count).
    public func read(_ address: ObjectAddress, range: Range<Int64>, ifMatch etag: String?) async throws -> [UInt8] {
        let url = try Self.url(address)
        try S3ObjectStore.checkRange(range, address: address, limit: limits.maximumReadSize)
        return try await transport.readRange(address: address.description, range: range, etag: etag) { remaining, ifMatch in
            var headers = [("Range", "bytes=\(remaining.lowerBound)-\(remaining.upperBound - 1)")]
            if let ifMatch { headers.append(("If-Match", ifMatch)) }
            return TransportRequest(method: .GET, url: url, headers: headers, body: nil)
        }
    }

    /// Listing is not part of HTTP.
    ///
    /// - Throws: ``RemoteError`` of kind `unsupported`, always.
    /// - Complexity: O(1).
    public func list(_ prefix: ObjectAddress) async throws -> [ObjectInfo] {
        throw RemoteError(
            .unsupported, address: prefix.description,
            message: "an HTTP server cannot list objects; name each object, or use s3:// with an S3 API")
    }

    private static func url(_ address: ObjectAddress) throws(RemoteError) -> String {
        guard let url = address.httpURL, !address.isPrefix || address.scheme != .gs else {
            throw RemoteError(.invalidAddress, address: address.description, message: "not an http(s):// or gs:// object")
        }
        return url
    }
}
