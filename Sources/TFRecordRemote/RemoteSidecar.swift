import Foundation
import TFRecord

/// Where the index of a remote shard comes from: its `.tfindex` sidecar beside it in the store,
/// DALI's text `.idx` beside it, or a `.tfindex` that `tfrecord index --cache` wrote into the
/// local ``ObjectCache`` for a read-only bucket (named after the shard's address, size and ETag,
/// so a rewritten shard never finds it).
///
/// Sidecars in the store are downloaded once per version into the cache (``ObjectCache/fetch``,
/// keyed by their ETag and size): a rewritten sidecar is fetched again, and a sidecar that no
/// longer matches its rewritten shard is refused when opened (`RecordFile(object:index:)`
/// compares the shard's size and fingerprint).
public enum RemoteSidecar: Sendable {
    /// `<shard>.tfindex` in the store.
    case native(ObjectInfo)
    /// `<shard>.idx` (offset and framed length per line) in the store.
    case text(ObjectInfo)
    /// A `.tfindex` in the local cache.
    case cached(String)

    /// The local cache's name for the sidecar of this version of `shard`.
    ///
    /// - Complexity: O(address length).
    public static func cachedPath(for shard: ObjectInfo, cache: ObjectCache) -> String {
        cache.path(for: shard) + ".tfindex"
    }

    /// Finds the sidecar of `shard`: the local cache first (no request), then `.tfindex` and
    /// `.idx` in the listing the shard came from (no request) or by HEAD requests.
    ///
    /// - Returns: The sidecar, or `nil` when there is none.
    /// - Throws: ``RemoteError`` for failures other than "not found".
    /// - Complexity: at most two HEADs.
    public static func find(for shard: RemoteObject, in shards: RemoteShards, at position: Int, cache: ObjectCache) async throws
        -> RemoteSidecar?
    {
        let local = cachedPath(for: shard.info, cache: cache)
        if FileManager.default.fileExists(atPath: local) { return .cached(local) }
        for (suffix, make) in [(".tfindex", RemoteSidecar.native), (".idx", RemoteSidecar.text)] {
            let name = shard.name + suffix
            if shards.fromListing[position] {
                if let info = shards.listed[name] { return make(info) }
                continue
            }
            do {
                return make(try await shard.store.info(of: try ObjectAddress(name)))
            } catch let error as RemoteError where error.kind == .notFound || error.kind == .accessDenied {
                continue  // S3 answers 403 for a missing key without ListBucket permission
            }
        }
        return nil
    }

    /// The sidecar's name (its address, or the local file).
    public var name: String {
        switch self {
        case .native(let info), .text(let info): info.address.description
        case .cached(let path): path
        }
    }

    /// The local file holding the sidecar: downloaded into the cache unless it is there.
    ///
    /// - Throws: ``RemoteError`` from the download.
    /// - Complexity: nothing when cached; else one GET per 8 MiB of sidecar.
    public func localFile(store: any ObjectStore, cache: ObjectCache) async throws -> String {
        switch self {
        case .native(let info), .text(let info): try await cache.fetch(info, from: store)
        case .cached(let path): path
        }
    }

    /// The index in the local file `path` (from ``localFile(store:cache:)``) for `shard`. Blocks
    /// (a text index reads the shard's fingerprint): call it from a thread, not a task.
    ///
    /// - Throws: `TFRecordError` `.corrupted` for a damaged sidecar, `.io`.
    /// - Complexity: O(records).
    public func index(fromLocalFile path: String, for shard: RemoteObject) throws(TFRecordError) -> RecordIndex {
        switch self {
        case .native, .cached:
            do {
                return try RecordIndex.load(from: path)
            } catch {
                var named = error
                named.path = name
                throw named
            }
        case .text:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TFRecordError(.io, "cannot read the cached copy \(path)", path: name)
            }
            return try RecordIndex.importText(String(decoding: data, as: UTF8.self), forObject: shard)
        }
    }

    /// The shard's record count from the sidecar alone: a native sidecar's 64-byte header (one
    /// ranged GET, or the cached copy), a text index's lines (fetched into the cache).
    ///
    /// - Throws: `TFRecordError` (`.corrupted` for a header or text that cannot describe the
    ///   shard, `.invalidArgument` for a sidecar of another size of shard) or ``RemoteError``.
    /// - Complexity: one small GET (nothing when cached).
    public func recordCount(for shard: RemoteObject, cache: ObjectCache) async throws -> Int {
        do {
            return try await headerCount(for: shard, cache: cache)
        } catch let error as TFRecordError where error.kind == .invalidArgument {
            var hint = error
            hint.detail = hint.detail.replacingOccurrences(of: "`tfrecord index`", with: "`tfrecord index \(shard.name)`")
            throw hint
        }
    }

    private func headerCount(for shard: RemoteObject, cache: ObjectCache) async throws -> Int {
        switch self {
        case .native(let info):
            let cached = cache.path(for: info)
            let header: [UInt8]
            if let data = FileManager.default.contents(atPath: cached), Int64(data.count) == info.size {
                header = Array(data.prefix(RecordIndex.sidecarHeaderSize))
            } else {
                let size = min(info.size, Int64(RecordIndex.sidecarHeaderSize))
                header = size > 0 ? try await shard.store.read(info.address, range: 0..<size, ifMatch: info.etag) : []
            }
            return try RecordIndex.recordCount(sidecarHeader: header, shardSize: shard.byteCount, name: name)
        case .cached(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TFRecordError(.io, "cannot read the cached index", path: path)
            }
            return try RecordIndex.recordCount(sidecarHeader: Array(data.prefix(RecordIndex.sidecarHeaderSize)),
                                               shardSize: shard.byteCount, name: path)
        case .text:
            let path = try await localFile(store: shard.store, cache: cache)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TFRecordError(.io, "cannot read the cached copy \(path)", path: name)
            }
            var count = 0
            var end: UInt64 = 0
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let fields = line.split(whereSeparator: { $0 == 32 || $0 == 9 || $0 == 13 })
                if fields.isEmpty { continue }
                guard fields.count == 2, let offset = UInt64(String(decoding: fields[0], as: UTF8.self)),
                    let length = UInt64(String(decoding: fields[1], as: UTF8.self)), offset == end,
                    length >= 16, length <= shard.byteCount - min(offset, shard.byteCount)
                else {
                    throw TFRecordError(.corrupted, "text index entry \(count + 1) does not fit the \(shard.byteCount)-byte shard",
                                        path: name, recordNumber: count)
                }
                end = offset + length
                count += 1
            }
            guard end == shard.byteCount else {
                throw TFRecordError(.corrupted, "the text index ends at byte \(end) but the shard has \(shard.byteCount) bytes",
                                    path: name)
            }
            return count
        }
    }

    /// The error for a shard without any sidecar: says so and names the command that makes one.
    ///
    /// - Complexity: O(1).
    public static func missing(_ shard: RemoteObject) -> TFRecordError {
        TFRecordError(.invalidArgument,
                      "no index: neither \(shard.name).tfindex nor \(shard.name).idx exists and none is cached; build it with `tfrecord index \(shard.name)` (or `tfrecord index --cache \(shard.name)` when the bucket is read-only)",
                      path: shard.name)
    }
}
