import TFRecord

/// Shards in object storage read as one dataset by global record number, through their
/// sidecar indexes: the remote counterpart of `Dataset` (which it wraps, as ``dataset``).
///
/// Opening reads only sidecars: each shard's record count from its sidecar's 64-byte header
/// (one small ranged GET, or nothing when cached). A shard is opened on first access: its
/// sidecar is downloaded once into the ``ObjectCache`` and checked against the shard (size and
/// fingerprint: two small GETs). Then `record(at:)` is one ranged GET; a batch or an epoch
/// (`forEachRecord(at:)`, ``order(seed:worker:of:)``) is planned per shard and window of 4,096
/// records: ranges sorted, neighbours closer than `gap` merged, spans split at `maximumSpan`,
/// at most `maximumInFlight` GETs at once. GZIP/ZLIB shards are inflated from the nearest
/// checkpoint (1 MiB GETs). Every record is checked (length CRC, framing against the index,
/// payload CRC).
///
/// The async methods run the synchronous core on a thread of their own (never on the
/// cooperative pool); ``dataset`` can also be used directly from your own threads.
public final class RemoteDataset: Sendable {
    /// The shards.
    public let shards: RemoteShards
    /// Each shard's sidecar.
    public let sidecars: [RemoteSidecar]
    /// The core dataset over the shards (synchronous; blocks while requests run).
    public let dataset: Dataset

    /// Total number of records.
    public var count: Int { dataset.count }

    private init(shards: RemoteShards, sidecars: [RemoteSidecar], dataset: Dataset) {
        self.shards = shards
        self.sidecars = sidecars
        self.dataset = dataset
    }

    /// Opens the shards named by `addresses` (objects, prefixes, globs, `-of-` sets).
    ///
    /// - Parameters:
    ///   - addresses: What to open.
    ///   - client: The client whose stores read them.
    ///   - cache: Where sidecars are cached.
    ///   - options: How the objects are read.
    /// - Throws: ``RemoteError`` for an address or request failure; `TFRecordError`
    ///   `.invalidArgument` for a shard without a sidecar (naming `tfrecord index`) or with a stale one.
    /// - Complexity: the listing or HEADs, then one small GET per shard (16 at once).
    public static func open(
        _ addresses: [String], client: RemoteClient, cache: ObjectCache = .standard(),
        options: RemoteReadOptions = RemoteReadOptions()
    ) async throws -> RemoteDataset {
        try await open(RemoteShards.expand(addresses, client: client, options: options), cache: cache)
    }

    /// Opens expanded shards; see ``open(_:client:cache:options:)``.
    ///
    /// - Throws: `TFRecordError` `.invalidArgument` for a shard without a sidecar, ``RemoteError``.
    /// - Complexity: one small GET per shard (16 at once).
    public static func open(_ shards: RemoteShards, cache: ObjectCache = .standard()) async throws -> RemoteDataset {
        let found = try await recordCounts(shards, cache: cache)
        var sidecars: [RemoteSidecar] = []
        var counts: [Int] = []
        for (k, entry) in found.enumerated() {
            guard let (sidecar, count) = entry else { throw RemoteSidecar.missing(shards.objects[k]) }
            sidecars.append(sidecar)
            counts.append(count)
        }
        let objects = shards.objects
        let opened = sidecars
        let dataset = Dataset(names: objects.map(\.name), recordCounts: counts) { (s) throws(TFRecordError) -> RecordFile in
            let (object, sidecar) = (objects[s], opened[s])
            let path = try Blocking.read { try await sidecar.localFile(store: object.store, cache: cache) }
            return try RecordFile(object: object, index: sidecar.index(fromLocalFile: path, for: object))
        }
        return RemoteDataset(shards: shards, sidecars: opened, dataset: dataset)
    }

    /// Each shard's sidecar and record count from the sidecar alone, or `nil` for a shard
    /// without one; at most 16 shards at once.
    ///
    /// - Throws: `TFRecordError` for a damaged or stale sidecar header, ``RemoteError``.
    /// - Complexity: at most two HEADs (none after a listing) and one small GET per shard.
    public static func recordCounts(_ shards: RemoteShards, cache: ObjectCache = .standard()) async throws
        -> [(RemoteSidecar, Int)?]
    {
        var result = [(RemoteSidecar, Int)?](repeating: nil, count: shards.objects.count)
        try await withThrowingTaskGroup(of: (Int, (RemoteSidecar, Int)?).self) { group in
            var next = 0
            func launch() {
                guard next < shards.objects.count else { return }
                let k = next
                next += 1
                group.addTask {
                    let object = shards.objects[k]
                    guard let sidecar = try await RemoteSidecar.find(for: object, in: shards, at: k, cache: cache) else {
                        return (k, nil)
                    }
                    return (k, (sidecar, try await sidecar.recordCount(for: object, cache: cache)))
                }
            }
            for _ in 0..<16 { launch() }
            while let (k, entry) = try await group.next() {
                result[k] = entry
                launch()
            }
        }
        return result
    }

    /// A copy of global record `i` (one ranged GET once its shard is open).
    ///
    /// - Throws: `TFRecordError` naming the shard, record and offset.
    /// - Precondition: `0 <= i < count`.
    public func record(at i: Int, verifyingChecksums: Bool = true) async throws -> [UInt8] {
        let dataset = dataset
        return try await Blocking.onThread { try dataset.record(at: i, verifyingChecksums: verifyingChecksums) }
    }

    /// Copies of the global records `numbers`, in the order given, fetched as planned batches.
    ///
    /// - Throws: `TFRecordError` for the first damaged record or failed request.
    /// - Precondition: every number is in `0 ..< count`.
    /// - Complexity: per shard and window of 4,096 records, one GET per planned span.
    public func records(at numbers: [Int], verifyingChecksums: Bool = true) async throws -> [[UInt8]] {
        let dataset = dataset
        return try await Blocking.onThread {
            var out: [[UInt8]] = []
            out.reserveCapacity(numbers.count)
            try dataset.forEachRecord(at: numbers, verifyingChecksums: verifyingChecksums) { _, payload in
                out.append(payload.withUnsafeBytes { [UInt8]($0) })
            }
            return out
        }
    }

    /// Calls `body` (on the reading thread) with each of the global records `numbers` in the
    /// order given — the way to read an epoch: `forEachRecord(at: Array(order(seed: epoch)))`.
    ///
    /// - Throws: `TFRecordError` for the first damaged record or failed request, or what `body` throws.
    /// - Complexity: per shard and window of 4,096 records, one GET per planned span.
    public func forEachRecord(
        at numbers: [Int], verifyingChecksums: Bool = true,
        _ body: @escaping @Sendable (_ recordNumber: Int, _ payload: [UInt8]) throws -> Void
    ) async throws {
        let dataset = dataset
        try await Blocking.onThread {
            try dataset.forEachRecord(at: numbers, verifyingChecksums: verifyingChecksums) { number, payload in
                try body(number, payload.withUnsafeBytes { [UInt8]($0) })
            }
        }
    }

    /// The global record numbers for one worker, shuffled or not (`Dataset.order`).
    ///
    /// - Complexity: O(1).
    public func order(seed: UInt64? = nil, worker: Int = 0, of workers: Int = 1) -> RecordOrder {
        dataset.order(seed: seed, worker: worker, of: workers)
    }
}
