import TFRecord

/// The objects a user names — single objects, prefixes (`s3://bucket/dir/`), globs
/// (`s3://bucket/train-*.tfrecord`) and `-of-` sets (`s3://bucket/train` for
/// `train-00000-of-00004` …) — in a stable order, as `ShardPaths.expand` does for local paths.
///
/// Prefixes and globs are listed with ListObjectsV2 (every page; S3 API only): index files
/// (`.tfindex`, `.idx`) and hidden names (`.name`) are skipped, names sorted byte-wise, and
/// `-of-` sets found must be complete. A name that is no object is tried as the prefix of an
/// `-of-` set. `gs://` addresses go through GCS's S3-compatible API when the configuration has
/// HMAC keys (AWS_* variables) and a `storage.googleapis.com` endpoint, else through its public
/// HTTPS endpoint.
public struct RemoteShards: Sendable {
    /// The objects, in order (an object named twice appears twice).
    public let objects: [RemoteObject]
    /// Every object the listings saw, by address: where sidecars are looked up without a request.
    let listed: [String: ObjectInfo]
    /// Whether each object came from a listing (so a sidecar missing from `listed` is missing).
    let fromListing: [Bool]

    /// Objects already known (their sizes and ETags from HEADs), in order; their sidecars are
    /// looked up with HEAD requests.
    ///
    /// - Complexity: O(objects).
    public init(objects: [RemoteObject]) {
        self.init(objects: objects, listed: [:], fromListing: objects.map { _ in false })
    }

    init(objects: [RemoteObject], listed: [String: ObjectInfo], fromListing: [Bool]) {
        self.objects = objects
        self.listed = listed
        self.fromListing = fromListing
    }

    /// Expands `addresses`.
    ///
    /// - Parameters:
    ///   - addresses: `s3://`, `gs://`, `http(s)://` addresses, prefixes, globs or `-of-` prefixes.
    ///   - client: The client whose stores read them.
    ///   - options: How the objects will be read.
    /// - Returns: The objects, with their sizes and ETags.
    /// - Throws: ``RemoteError`` (`invalidAddress`; `notFound` for a name that matches nothing;
    ///   `unsupported` for a prefix or glob over plain HTTP, which cannot list) or `TFRecordError`
    ///   (`.invalidArgument`) for an incomplete `-of-` set.
    /// - Complexity: one HEAD per single object, one ListObjectsV2 per 1,000 listed objects.
    public static func expand(
        _ addresses: [String], client: RemoteClient, options: RemoteReadOptions = RemoteReadOptions()
    ) async throws -> RemoteShards {
        var objects: [RemoteObject] = []
        var listed: [String: ObjectInfo] = [:]
        var fromListing: [Bool] = []
        for text in addresses {
            let (address, store) = route(try ObjectAddress(text), client: client)
            let key = address.key
            let listable = address.scheme == .s3 || address.scheme == .gs
            if listable && (address.isPrefix || GlobPattern.isPattern(key)) {
                let prefix = address.isPrefix ? key : GlobPattern.literalPrefix(key)
                let listing = try await store.list(try address.replacingKey(with: prefix))
                for info in listing { listed[info.address.description] = info }
                let pattern = GlobPattern(key)
                let shards = listing.filter { info in
                    let name = info.address.key
                    let last = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
                    guard !last.isEmpty, !last.hasPrefix("."), !ShardPaths.isIndexFile(name) else { return false }
                    return address.isPrefix ? true : pattern.matches(name)
                }.sorted { Array($0.address.key.utf8).lexicographicallyPrecedes(Array($1.address.key.utf8)) }
                guard !shards.isEmpty else {
                    throw RemoteError(.notFound, address: text,
                                      message: address.isPrefix ? "no object under this prefix" : "no object matches the pattern")
                }
                try ShardPaths.checkShardSets(shards.map { $0.address.key }, from: text)
                objects += shards.map { RemoteObject(info: $0, store: store, options: options) }
                fromListing += shards.map { _ in true }
                continue
            }
            do {
                let info = try await store.info(of: address)
                objects.append(RemoteObject(info: info, store: store, options: options))
                fromListing.append(false)
            } catch let error as RemoteError where error.kind == .notFound && address.scheme == .s3 {
                // Not an object: the prefix of a `train-00000-of-00004` set?
                let listing = try await store.list(try address.replacingKey(with: key + "-"))
                for info in listing { listed[info.address.description] = info }
                let shards = listing.filter {
                    !ShardPaths.isIndexFile($0.address.key) && ShardPaths.shardSetPrefix(of: $0.address.key) == key + "-"
                }.sorted { Array($0.address.key.utf8).lexicographicallyPrecedes(Array($1.address.key.utf8)) }
                guard !shards.isEmpty else { throw error }
                try ShardPaths.checkShardSets(shards.map { $0.address.key }, from: text)
                objects += shards.map { RemoteObject(info: $0, store: store, options: options) }
                fromListing += shards.map { _ in true }
            }
        }
        return RemoteShards(objects: objects, listed: listed, fromListing: fromListing)
    }

    /// The address and store that serve `address`: `gs://` through the S3 API when the
    /// configuration points at GCS's S3-compatible endpoint with HMAC keys.
    ///
    /// - Complexity: O(1).
    public static func route(_ address: ObjectAddress, client: RemoteClient) -> (ObjectAddress, any ObjectStore) {
        let s3 = client.configuration.s3
        if address.scheme == .gs, s3.credentials != nil, let endpoint = s3.endpoint,
            endpoint.contains("storage.googleapis.com"),
            let viaS3 = try? ObjectAddress(scheme: .s3, bucket: address.bucket, key: address.key)
        {
            return (viaS3, client.s3)
        }
        return (address, client.store(for: address))
    }

    /// Whether `text` is an object address (`s3://`, `gs://`, `http://`, `https://`) rather
    /// than a local path.
    ///
    /// - Complexity: O(1).
    public static func isAddress(_ text: String) -> Bool {
        ["s3://", "gs://", "http://", "https://"].contains { text.lowercased().hasPrefix($0) }
    }
}
