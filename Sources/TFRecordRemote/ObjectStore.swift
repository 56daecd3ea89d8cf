/// A place objects are read from: an S3 API or plain HTTP(S) servers.
///
/// Every method is `async`, safe to call from many tasks at once (the store shares one connection
/// pool), retries transient failures under the store's ``RetryPolicy`` and throws only ``RemoteError``.
public protocol ObjectStore: Sendable {
    /// The object's size and ETag (one HEAD request, retried).
    ///
    /// - Parameter address: The object.
    /// - Returns: Its size and ETag.
    /// - Throws: ``RemoteError``: `notFound`, `accessDenied`, `io` after the retries, `protocolViolation`
    ///   when the answer has no usable `Content-Length`.
    func info(of address: ObjectAddress) async throws -> ObjectInfo

    /// Reads the bytes `range` of an object: exactly `range.count` bytes or an error, never fewer.
    ///
    /// A failed or short transfer is resumed at the first missing byte (`If-Match` on the ETag of the
    /// first answer, so bytes of two versions are never mixed); a 206 answer's `Content-Range` must match
    /// what was asked; a 200 answer (a server that ignores `Range`) is read only up to the range's end,
    /// the bytes before it discarded, when the range starts within the discard bound of the store.
    ///
    /// - Parameters:
    ///   - address: The object.
    ///   - range: The byte offsets to read; must not be empty and must lie within the object.
    ///   - etag: The ETag the object must still have (from ``info(of:)``), sent as `If-Match` from the
    ///     first request on, so reads of one object in several pieces all see one version; `nil` to
    ///     accept the current version.
    /// - Returns: The bytes, `range.count` of them.
    /// - Throws: ``RemoteError``: `outOfRange` when the object is shorter, `changed` when it was rewritten
    ///   (before or during the read), `tooLarge` when the range is larger than the store's body bound,
    ///   `io` with the offset reached and the attempts made, `notFound`, `accessDenied`, `protocolViolation`.
    /// - Complexity: one ranged GET, plus one per resumption; memory O(range.count).
    func read(_ address: ObjectAddress, range: Range<Int64>, ifMatch etag: String?) async throws -> [UInt8]

    /// The objects under a prefix, in key order (S3: ListObjectsV2, every page).
    ///
    /// - Parameter prefix: An address whose key is the prefix (`s3://bucket/dir/`, `s3://bucket/train-`).
    /// - Returns: The objects whose keys start with the prefix.
    /// - Throws: ``RemoteError``: `unsupported` for plain HTTP, `protocolViolation` for a hostile or
    ///   malformed listing, `tooLarge` past the store's listing bound, and the request errors.
    /// - Complexity: one request per 1,000 objects.
    func list(_ prefix: ObjectAddress) async throws -> [ObjectInfo]
}

extension ObjectStore {
    /// Reads the bytes `range` of an object, whatever its current version
    /// (``read(_:range:ifMatch:)`` with no ETag).
    ///
    /// - Parameters:
    ///   - address: The object.
    ///   - range: The byte offsets to read; must not be empty and must lie within the object.
    /// - Returns: The bytes, `range.count` of them.
    /// - Throws: ``RemoteError`` (see ``read(_:range:ifMatch:)``).
    /// - Complexity: one ranged GET, plus one per resumption; memory O(range.count).
    public func read(_ address: ObjectAddress, range: Range<Int64>) async throws -> [UInt8] {
        try await read(address, range: range, ifMatch: nil)
    }
}
