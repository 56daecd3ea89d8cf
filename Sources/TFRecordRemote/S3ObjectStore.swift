import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Objects behind an S3 API (AWS, or MinIO, Ceph, R2, moto at `AWS_ENDPOINT_URL`), read and written
/// with SigV4-signed requests: HEAD, ranged GET, ListObjectsV2, PUT and multipart uploads.
///
/// Safe to use from many tasks at once; every request goes through the ``RemoteClient``'s one
/// connection pool and is retried under its ``RetryPolicy``.
public struct S3ObjectStore: ObjectStore {
    /// The largest body a single PUT may carry (S3's limit); larger objects need a multipart upload.
    public static let maximumPutSize = 5 << 30
    /// The smallest part of a multipart upload, the last part excepted.
    public static let minimumPartSize = 5 << 20
    /// The most parts of one multipart upload.
    public static let maximumParts = 10_000
    /// The largest listing page body read (a page of 1,000 keys of 1 KiB is about 1.3 MB).
    static let listBodyLimit = 8 << 20
    /// The largest body of other small answers (initiate, complete).
    static let smallBodyLimit = 1 << 20

    let builder: S3RequestBuilder
    let transport: HTTPTransport
    let limits: RemoteConfiguration
    let now: @Sendable () -> Date

    init(configuration: RemoteConfiguration, transport: HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.builder = S3RequestBuilder(configuration: configuration.s3)
        self.transport = transport
        self.limits = configuration
        self.now = now
    }

    /// The object's size and ETag (HEAD).
    ///
    /// - Parameter address: An `s3://bucket/key` address with a non-empty key.
    /// - Returns: Its size and ETag.
    /// - Throws: ``RemoteError``: `invalidAddress` for another scheme or an empty key, `notFound`,
    ///   `accessDenied`, `io` after the retries, `protocolViolation` without a valid `Content-Length`.
    /// - Complexity: one request, plus retries.
    public func info(of address: ObjectAddress) async throws -> ObjectInfo {
        try Self.checkObject(address)
        let builder = self.builder
        let now = self.now
        let response = try await transport.send(address: address.description, bodyLimit: 0) {
            builder.request(.HEAD, bucket: address.bucket, key: address.key, date: now())
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
    ///   - address: An `s3://bucket/key` address.
    ///   - range: Non-empty, within the object, at most `maximumReadSize` bytes.
    ///   - etag: The ETag the object must have (`If-Match`), or `nil` for its current version.
    /// - Returns: Exactly `range.count` bytes.
    /// - Throws: ``RemoteError`` (see ``ObjectStore/read(_:range:)``).
    /// - Complexity: one GET, plus one per resumption; memory O(range.count).
    public func read(_ address: ObjectAddress, range: Range<Int64>, ifMatch etag: String?) async throws -> [UInt8] {
        try Self.checkObject(address)
        try Self.checkRange(range, address: address, limit: limits.maximumReadSize)
        let builder = self.builder
        let now = self.now
        return try await transport.readRange(address: address.description, range: range, etag: etag) { remaining, ifMatch in
            var headers = [("Range", "bytes=\(remaining.lowerBound)-\(remaining.upperBound - 1)")]
            if let ifMatch { headers.append(("If-Match", ifMatch)) }
            return builder.request(.GET, bucket: address.bucket, key: address.key, headers: headers, date: now())
        }
    }

    /// Every object whose key starts with the prefix's key, in key order (ListObjectsV2, all pages).
    ///
    /// - Parameter prefix: `s3://bucket/prefix` (any key: `dir/`, `train-`, or empty for the whole bucket).
    /// - Returns: The objects.
    /// - Throws: ``RemoteError``: `protocolViolation` for hostile or malformed XML or a repeated
    ///   continuation token, `tooLarge` past `maximumListedObjects`, and the request errors.
    /// - Complexity: one request per page of up to 1,000 objects.
    public func list(_ prefix: ObjectAddress) async throws -> [ObjectInfo] {
        try await list(prefix, pageSize: nil)
    }

    /// ``list(_:)`` with `max-keys` set to `pageSize` (tests use small pages to exercise pagination).
    func list(_ prefix: ObjectAddress, pageSize: Int?) async throws -> [ObjectInfo] {
        guard prefix.scheme == .s3 else {
            throw RemoteError(.invalidAddress, address: prefix.description, message: "not an s3:// address")
        }
        var objects: [ObjectInfo] = []
        var token: String?
        var seenTokens: Set<String> = []
        let builder = self.builder
        let now = self.now
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix.key), ("encoding-type", "url")]
            if let token { query.append(("continuation-token", token)) }
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            let pageQuery = query
            let response = try await transport.send(address: prefix.description, bodyLimit: Self.listBodyLimit) {
                builder.request(.GET, bucket: prefix.bucket, key: nil, query: pageQuery, date: now())
            }
            let page: S3ListPage
            do {
                page = try S3ListPage(response.body)
            } catch {
                throw RemoteError(.protocolViolation, address: prefix.description, message: "listing: \(error.message)")
            }
            for object in page.objects {
                objects.append(
                    ObjectInfo(
                        address: try ObjectAddress(scheme: .s3, bucket: prefix.bucket, key: object.key),
                        size: object.size, etag: object.etag))
            }
            guard objects.count <= limits.maximumListedObjects else {
                throw RemoteError(
                    .tooLarge, address: prefix.description,
                    message: "more than \(limits.maximumListedObjects) objects under the prefix")
            }
            token = page.nextContinuationToken
            if let token {
                guard seenTokens.insert(token).inserted else {
                    throw RemoteError(.protocolViolation, address: prefix.description, message: "the listing repeats a continuation token")
                }
            }
        } while token != nil
        return objects
    }

    /// Stores `bytes` as the object in one PUT (for objects up to ``maximumPutSize``; use
    /// ``upload(to:_:)`` for streams and large objects).
    ///
    /// - Parameters:
    ///   - bytes: The object's content.
    ///   - address: An `s3://bucket/key` address.
    /// - Returns: The new object's ETag, if the server sent one.
    /// - Throws: ``RemoteError``: `tooLarge` past 5 GiB, and the request errors.
    /// - Complexity: one request (retried), a SHA-256 of the body.
    @discardableResult
    public func put(_ bytes: [UInt8], to address: ObjectAddress) async throws -> String? {
        try Self.checkObject(address)
        guard bytes.count <= Self.maximumPutSize else {
            throw RemoteError(.tooLarge, address: address.description, message: "a single PUT carries at most 5 GiB")
        }
        let builder = self.builder
        let now = self.now
        let hash = SigV4Signer.hex(SHA256.hash(data: bytes))
        let response = try await transport.send(address: address.description, bodyLimit: Self.smallBodyLimit) {
            builder.request(.PUT, bucket: address.bucket, key: address.key, body: bytes, bodyHash: hash, date: now())
        }
        return response.headers.first(name: "etag")
    }

    /// Writes an object through a multipart upload: `body` writes its bytes into the upload, which sends
    /// parts of `partSize` bytes, several at once, and completes the object only when `body` returns.
    /// If `body` throws or the task is cancelled, the upload is aborted and no object appears under
    /// the address (an object already there stays as it was).
    ///
    /// Small objects (less than one part in all) are sent as one PUT instead.
    ///
    /// - Parameters:
    ///   - address: An `s3://bucket/key` address.
    ///   - body: Writes the object's bytes with ``S3MultipartUpload/write(_:)``.
    /// - Returns: The new object's ETag.
    /// - Throws: What `body` throws, or ``RemoteError`` from the requests.
    /// - Complexity: one request per part plus two; memory about `partsInFlight + 1` parts.
    @discardableResult
    public func upload(to address: ObjectAddress, _ body: (S3MultipartUpload) async throws -> Void) async throws -> String? {
        let upload = try makeUpload(to: address)
        do {
            try await body(upload)
            return try await upload.finish()
        } catch {
            await upload.abort()
            throw error
        }
    }

    /// Starts an upload that the caller finishes with ``S3MultipartUpload/finish()`` or abandons with
    /// ``S3MultipartUpload/abort()``; ``upload(to:_:)`` does both for you.
    ///
    /// - Throws: ``RemoteError`` of kind `invalidAddress`, or `invalidConfiguration` for a part size
    ///   under 5 MiB.
    /// - Complexity: O(1); no request is sent until the first part is full.
    public func makeUpload(to address: ObjectAddress) throws -> S3MultipartUpload {
        try Self.checkObject(address)
        guard limits.partSize >= Self.minimumPartSize, limits.partsInFlight >= 1 else {
            throw RemoteError(
                .invalidConfiguration, address: address.description,
                message: "partSize must be at least 5 MiB and partsInFlight at least 1")
        }
        return S3MultipartUpload(store: self, address: address, partSize: limits.partSize, partsInFlight: limits.partsInFlight)
    }

    static func checkObject(_ address: ObjectAddress) throws(RemoteError) {
        guard address.scheme == .s3 else {
            throw RemoteError(.invalidAddress, address: address.description, message: "not an s3:// address")
        }
        guard !address.key.isEmpty else {
            throw RemoteError(.invalidAddress, address: address.description, message: "the address names a bucket, not an object")
        }
    }

    static func checkRange(_ range: Range<Int64>, address: ObjectAddress, limit: Int64) throws(RemoteError) {
        guard range.lowerBound >= 0, !range.isEmpty else {
            throw RemoteError(
                .invalidAddress, address: address.description, offset: range.lowerBound,
                message: "byte range \(range) is empty or negative")
        }
        guard range.count <= limit else {
            throw RemoteError(
                .tooLarge, address: address.description, offset: range.lowerBound,
                message: "a read of \(range.count) bytes is larger than the \(limit)-byte bound")
        }
    }
}
