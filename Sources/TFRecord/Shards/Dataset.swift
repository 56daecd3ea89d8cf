import Synchronization
/// Many shards read as one list of records, numbered globally: record `i` of the dataset is
/// record `i - start(s)` of shard `s`, where `start` is the prefix sum of the shards' counts.
///
/// Opening reads only each shard's 64-byte index header and compares the shard's size and
/// modification time with it, so a dataset of 1,000 indexed shards opens in milliseconds. A
/// shard is mapped, and its index mapped and fully checked (offsets checksum, fingerprint), on
/// first access. Shards without a valid index are indexed at open, as `options` say.
///
/// `Sendable`: many threads may read records at once. After a shard's first access, the read
/// path is one atomic load and no lock.
public final class Dataset: Sendable {
    /// The shard files (or stored objects' names), in order.
    public let paths: [String]
    /// Records per shard.
    public let recordCounts: [Int]
    /// `starts[s]` is the global number of shard `s`'s first record; `starts.last` is `count`.
    let starts: [Int]
    let options: IndexOptions
    let slots: [ShardSlot]
    /// Opens shard `s` when the shards are not local files (`init(names:recordCounts:opening:)`).
    let opener: (@Sendable (Int) throws(TFRecordError) -> RecordFile)?

    /// Total number of records.
    public var count: Int { starts[starts.count - 1] }
    /// Number of shards.
    public var shardCount: Int { paths.count }

    /// Opens the shards named by `paths` (files, directories, globs or `-of-` prefixes, expanded
    /// by `ShardPaths.expand`).
    /// - Parameters:
    ///   - paths: what to open.
    ///   - options: what to do with shards whose sidecar index is missing or stale.
    /// - Throws: `.io` when a path matches nothing or cannot be read; `.invalidArgument` for an
    ///   incomplete `-of-` set or a missing/stale index the options refuse; damage found while
    ///   indexing a shard.
    /// - Complexity: O(shards) with valid sidecars (one header read and one `stat` per shard);
    ///   O(size) of every shard that must be indexed.
    public init(paths: [String], options: IndexOptions = IndexOptions()) throws(TFRecordError) {
        let files = try ShardPaths.expand(paths)
        self.paths = files
        self.options = options
        var counts: [Int] = []
        var slots: [ShardSlot] = []
        counts.reserveCapacity(files.count)
        slots.reserveCapacity(files.count)
        opener = nil
        for file in files {
            let slot = ShardSlot()
            if let count = Dataset.headerCount(ofShardAt: file) {
                counts.append(count)
            } else {
                let opened = try RecordFile(path: file, options: options)
                slot.publish(opened)
                counts.append(opened.count)
            }
            slots.append(slot)
        }
        var starts = [0]
        starts.reserveCapacity(counts.count + 1)
        for c in counts { starts.append(starts[starts.count - 1] + c) }
        self.recordCounts = counts
        self.starts = starts
        self.slots = slots
    }

    /// Shards that are not local files — stored objects (`RecordFile(object:index:)`), opened by
    /// `open` on first use — as one dataset, numbered globally as local shards are.
    ///
    /// Batches (`forEachRecord(at:)`, an epoch of `order(seed:)`) fetch the records of each
    /// window that live in uncompressed objects as one batch per object (see
    /// `StoredObject.bytes(in:)` for ranges), then deliver them in the order asked.
    /// - Parameters:
    ///   - names: each shard's name (its address), for messages.
    ///   - recordCounts: each shard's record count (from its index); `open(s)` must give a shard
    ///     of that many records.
    ///   - open: opens shard `s`; called at most once per shard that is read (concurrent first
    ///     reads may call it twice and keep one).
    /// - Precondition: `names.count == recordCounts.count`, counts not negative.
    /// - Complexity: O(shards).
    public init(names: [String], recordCounts: [Int],
                opening open: @escaping @Sendable (Int) throws(TFRecordError) -> RecordFile) {
        precondition(names.count == recordCounts.count && recordCounts.allSatisfy { $0 >= 0 },
                     "one record count per shard, none negative")
        paths = names
        self.recordCounts = recordCounts
        options = IndexOptions()
        slots = names.map { _ in ShardSlot() }
        opener = open
        var starts = [0]
        starts.reserveCapacity(recordCounts.count + 1)
        for c in recordCounts { starts.append(starts[starts.count - 1] + c) }
        self.starts = starts
    }

    /// The record count from a sidecar whose header checks, fits the shard
    /// (`IndexHeader.checkPlausible`) and records the shard's current size and modification
    /// time, or nil. The offsets are checked when the shard is first read.
    static func headerCount(ofShardAt path: String) -> Int? {
        guard let header = try? IndexHeader.read(path: RecordIndex.sidecarPath(for: path)),
              header.compression == .none,
              let (size, mtime) = try? ShardIdentity.fileStatus(path: path),
              header.shard.size == size, header.shard.modificationTime == mtime,
              (try? header.checkPlausible(shardSize: size, path: path)) != nil else { return nil }
        return Int(header.count)
    }

    /// Which shard holds global record `i`, and its number in that shard.
    /// - Precondition: `0 <= i < count`.
    /// - Complexity: O(log shards) (binary search over the prefix sums).
    public func location(ofRecord i: Int) -> (shard: Int, record: Int) {
        precondition(i >= 0 && i < count, "record number \(i) is out of range: the dataset has \(count) record(s)")
        var low = 0
        var high = starts.count - 1
        // Invariant: starts[low] <= i < starts[high].
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= i { low = mid } else { high = mid }
        }
        return (low, i - starts[low])
    }

    /// Shard `s`, opened (and its index checked) on first use.
    /// - Parameter s: the shard number, `0 ..< shardCount`.
    /// - Returns: the indexed shard.
    /// - Throws: `TFRecordError` when the shard cannot be opened, its index is stale and the
    ///   options refuse it, or it no longer has the record count the dataset was opened with.
    /// - Complexity: O(1) after the first call for that shard.
    public func shard(_ s: Int) throws(TFRecordError) -> RecordFile {
        precondition(s >= 0 && s < slots.count, "shard \(s) is out of range: the dataset has \(slots.count) shard(s)")
        if let file = slots[s].file { return file }
        let opened: RecordFile
        if let opener { opened = try opener(s) } else { opened = try RecordFile(path: paths[s], options: options) }
        guard opened.count == recordCounts[s] else {
            throw TFRecordError(.invalidArgument, "the shard changed since the dataset was opened: it had \(recordCounts[s]) record(s), it now has \(opened.count); open the dataset again",
                                path: paths[s])
        }
        return slots[s].publish(opened)
    }

    /// Calls `body` with the payload of global record `i`, zero-copy.
    /// - Parameters:
    ///   - i: the global record number, `0 ..< count`.
    ///   - verifyingChecksums: check the payload CRC (the length CRC is always checked).
    ///   - body: receives the payload, valid only during the call.
    /// - Returns: what `body` returns.
    /// - Throws: `TFRecordError` naming the shard, its local record number and the offset; or
    ///   what `body` throws.
    /// - Precondition: `0 <= i < count`.
    /// - Complexity: O(log shards).
    @inlinable
    public func withRecord<R>(at i: Int, verifyingChecksums: Bool = true, _ body: (RawSpan) throws -> R) throws -> R {
        let (s, local) = location(ofRecord: i)
        return try shard(s).withRecord(at: local, verifyingChecksums: verifyingChecksums, body)
    }

    /// A copy of the payload of global record `i`.
    /// - Parameters:
    ///   - i: the global record number, `0 ..< count`.
    ///   - verifyingChecksums: check the payload CRC.
    /// - Returns: the payload.
    /// - Throws: `TFRecordError` naming the shard, its local record number and the offset.
    /// - Precondition: `0 <= i < count`.
    public func record(at i: Int, verifyingChecksums: Bool = true) throws(TFRecordError) -> [UInt8] {
        let (s, local) = location(ofRecord: i)
        return try shard(s).record(at: local, verifyingChecksums: verifyingChecksums)
    }

    /// Calls `body` with each of the global records `numbers`, in the order given, zero-copy —
    /// the way to read a batch or an epoch (`forEachRecord(at: dataset.order(seed:worker:of:))`).
    ///
    /// Faster than one `withRecord(at:)` per number: while one record is checked, the index
    /// entries and headers of the next few are already being fetched from memory.
    /// - Parameters:
    ///   - numbers: global record numbers, each `0 ..< count`, in any order, repeats allowed.
    ///   - verifyingChecksums: check each payload CRC (length CRCs are always checked).
    ///   - body: receives the global record number and its payload, valid only during the call.
    /// - Throws: `TFRecordError` when a shard cannot be opened or a record is damaged (naming the
    ///   shard, its local record number and the offset; records before it were delivered), or
    ///   what `body` throws.
    /// - Precondition: every number is in `0 ..< count`.
    /// - Complexity: O(numbers.count × log shards); 16 bytes of memory per number.
    public func forEachRecord(at numbers: [Int], verifyingChecksums: Bool = true,
                              _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws {
        let n = numbers.count
        var files: [RecordFile] = []
        var locals: [Int] = []
        files.reserveCapacity(n)
        locals.reserveCapacity(n)
        for i in numbers {
            let (s, local) = location(ofRecord: i)
            files.append(try shard(s))
            locals.append(local)
        }
        if opener != nil {
            try RecordFile.forEachRecordFetchingAhead(count: n, file: { files[$0] }, record: { locals[$0] },
                                                      verifyingChecksums: verifyingChecksums) { k, payload in
                try body(numbers[k], payload)
            }
            return
        }
        try RecordFile.forEachRecord(count: n, file: { files[$0] }, record: { locals[$0] },
                                     verifyingChecksums: verifyingChecksums) { k, payload in
            try body(numbers[k], payload)
        }
    }

    /// `forEachRecord(at:verifyingChecksums:_:)` for any collection of global record numbers,
    /// such as a `RecordOrder`; the numbers are first copied into an array.
    public func forEachRecord<C: Collection>(at numbers: C, verifyingChecksums: Bool = true,
                                             _ body: (_ recordNumber: Int, _ payload: RawSpan) throws -> Void) throws
    where C.Element == Int {
        try forEachRecord(at: Array(numbers), verifyingChecksums: verifyingChecksums, body)
    }

    /// The global record numbers for one worker, shuffled or not.
    /// - Parameters:
    ///   - seed: the shuffle seed (the same on every worker; change it per epoch), or nil for
    ///     the natural order.
    ///   - worker: this worker's number, `0 ..< workers`.
    ///   - workers: how many workers share the dataset.
    /// - Returns: this worker's slice; slices of all workers are disjoint, cover every record,
    ///   and differ in size by at most one.
    /// - Complexity: O(1); the order itself takes no memory per record.
    public func order(seed: UInt64? = nil, worker: Int = 0, of workers: Int = 1) -> RecordOrder {
        RecordOrder(count: count, seed: seed, worker: worker, of: workers)
    }
}
