/// What a HEAD or a listing says about an object: its address, size and ETag.
public struct ObjectInfo: Sendable, Hashable {
    /// The object's address.
    public var address: ObjectAddress
    /// The object's size in bytes.
    public var size: Int64
    /// The ETag as the server sent it (quotes included), or `nil` when the server sent none; a change
    /// means the object was rewritten, so caches key on it.
    public var etag: String?

    /// Makes an object description.
    ///
    /// - Parameters:
    ///   - address: The object's address.
    ///   - size: Its size in bytes.
    ///   - etag: Its ETag, if known.
    /// - Complexity: O(1).
    public init(address: ObjectAddress, size: Int64, etag: String?) {
        self.address = address
        self.size = size
        self.etag = etag
    }
}
