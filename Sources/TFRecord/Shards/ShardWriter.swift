import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Options of a `ShardWriter`.
public struct ShardWriterOptions: Sendable {
    /// The folder the shards go to (created if missing).
    public var directory: String
    /// The `{prefix}` of shard names.
    public var prefix: String
    /// How shards are named.
    public var nameTemplate: ShardNameTemplate
    /// Records per shard (the tutorial's 4096), or nil to cut by `bytesPerShard` only.
    public var recordsPerShard: Int?
    /// Uncompressed bytes per shard (a shard ends after the record that reaches it), or nil.
    public var bytesPerShard: Int?
    /// Compression and buffering of each shard. Shards are always fsynced and renamed into
    /// place whole, whatever `atomic` and `sync` say here.
    public var write: WriteOptions
    /// Shards written (and compressed) at the same time, on their own threads.
    public var parallelShards: Int
    /// Write each shard's index sidecar (`<shard>.tfindex`) in the same pass, from the offsets
    /// the writer already knows (no second read).
    public var writeIndex: Bool

    /// Options for shards of `recordsPerShard` records in `directory`, TFDS naming, uncompressed.
    public init(directory: String, prefix: String = "data", nameTemplate: ShardNameTemplate = .tfds,
                recordsPerShard: Int? = 4096, bytesPerShard: Int? = nil, write: WriteOptions = WriteOptions(),
                parallelShards: Int = ShardWriterOptions.processorCount, writeIndex: Bool = true) {
        self.writeIndex = writeIndex
        self.directory = directory
        self.prefix = prefix
        self.nameTemplate = nameTemplate
        self.recordsPerShard = recordsPerShard
        self.bytesPerShard = bytesPerShard
        self.write = write
        self.parallelShards = parallelShards
    }
}

extension ShardWriterOptions {
    /// The number of online processors (the default for `parallelShards`).
    public static var processorCount: Int { onlineProcessors() }
}

/// One finished shard.
public struct ShardInfo: Sendable, Equatable {
    /// The shard's final path.
    public var path: String
    /// Records in the shard.
    public var recordCount: Int
    /// The header offset of each record in the uncompressed stream (what the index holds).
    public var recordOffsets: [UInt64]
}

/// Writes a stream of records into numbered shard files, several shards at once on their own
/// threads, crash-safe.
///
/// Each shard is written under a hidden staging name, `fsync`ed and only then renamed to its
/// final name, so a crash or kill at any moment leaves complete shards only under final names
/// (names with `{total}` are given when `finish()` knows the total). Shard contents depend only
/// on the records, so the output is byte-identical whatever `parallelShards` is.
///
/// Used by one thread at a time (the shards are written on worker threads internally).
public final class ShardWriter {
    /// The options in use.
    public let options: ShardWriterOptions
    private var current: ShardJob?
    private var jobs: [ShardJob] = []
    private var shardNumber = 0
    private var batch = RecordBatch()
    private let slots: DispatchSemaphore
    private let inFlight = DispatchSemaphore(value: 16)
    private let group = DispatchGroup()
    private let failure = FirstFailure()
    private var finished = false

    /// Prepares to write shards (creates the folder).
    /// - Throws: `TFRecordError.invalidArgument` for options that cannot work, `.io` when the
    ///   folder cannot be created.
    public init(options: ShardWriterOptions) throws(TFRecordError) {
        guard options.recordsPerShard != nil || options.bytesPerShard != nil else {
            throw TFRecordError(.invalidArgument, "give records per shard or bytes per shard")
        }
        if let n = options.recordsPerShard, n < 1 { throw TFRecordError(.invalidArgument, "records per shard must be >= 1") }
        if let n = options.bytesPerShard, n < 1 { throw TFRecordError(.invalidArgument, "bytes per shard must be >= 1") }
        self.options = options
        slots = DispatchSemaphore(value: max(1, options.parallelShards))
        if mkdir(options.directory, 0o755) != 0 && errno != EEXIST {
            throw TFRecordError(.io, "cannot create folder", path: options.directory, errno: errno)
        }
    }

    /// Appends one record to the current shard, starting a new shard when it is full.
    /// - Throws: `TFRecordError` from a shard already being written (e.g. disk full).
    public func write(_ payload: [UInt8]) throws(TFRecordError) {
        if let error = failure.error { throw error }
        if current == nil { startShard() }
        batch.append(payload)
        let job = current!
        job.records += 1
        job.bytes += payload.count + 16
        let full = (options.recordsPerShard.map { job.records >= $0 } ?? false)
            || (options.bytesPerShard.map { job.bytes >= $0 } ?? false)
        if full {
            submitBatch(closing: true)
        } else if batch.bytes.count >= 1 << 20 {
            submitBatch(closing: false)
        }
    }

    /// Appends one record.
    public func write(_ payload: RawSpan) throws(TFRecordError) {
        try write(payload.withUnsafeBytes { [UInt8]($0) })
    }

    /// Finishes the last shard, waits for every shard to be on disk and gives each its final
    /// name.
    /// - Returns: the shards in order.
    /// - Throws: the first `TFRecordError` of any shard; then every staging file is removed.
    @discardableResult
    public func finish() throws(TFRecordError) -> [ShardInfo] {
        guard !finished else { return [] }
        finished = true
        if current != nil { submitBatch(closing: true) }
        group.wait()
        if let error = failure.error {
            removeStagingFiles()
            throw error
        }
        let total = jobs.count
        var shards: [ShardInfo] = []
        for job in jobs {
            let name = options.nameTemplate.name(prefix: options.prefix, shard: job.number, total: total, count: job.records)
            let path = options.directory + "/" + name
            if job.finalPath == nil {
                do throws(TFRecordError) { try job.publish(as: path) } catch {
                    removeStagingFiles()
                    throw error
                }
            }
            shards.append(ShardInfo(path: job.finalPath ?? path, recordCount: job.records, recordOffsets: job.offsets))
        }
        return shards
    }

    /// Stops without publishing anything that is not already complete: removes staging files.
    public func abandon() {
        guard !finished else { return }
        finished = true
        failure.record(TFRecordError(.invalidArgument, "abandoned"))
        if current != nil { submitBatch(closing: true) }
        group.wait()
        removeStagingFiles()
    }

    deinit {
        if !finished { _ = try? finish() }
    }

    private func startShard() {
        slots.wait()
        let staging = options.directory + "/.\(options.prefix).shard-\(shardNumber).staging-\(getpid())"
        let job = ShardJob(number: shardNumber, stagingPath: staging, options: options)
        shardNumber += 1
        jobs.append(job)
        current = job
    }

    private func submitBatch(closing: Bool) {
        guard let job = current else { return }
        let records = batch
        batch = RecordBatch()
        let publishNow = !options.nameTemplate.needsTotal
        inFlight.wait()
        group.enter()
        job.queue.async { [failure, inFlight, slots, group, options] in
            defer {
                inFlight.signal()
                if closing { slots.signal() }
                group.leave()
            }
            if failure.error != nil { return }
            do throws(TFRecordError) {
                try job.append(records)
                if closing {
                    try job.close()
                    if publishNow {
                        let name = options.nameTemplate.name(prefix: options.prefix, shard: job.number, total: nil, count: job.records)
                        try job.publish(as: options.directory + "/" + name)
                    }
                }
            } catch {
                failure.record(error)
            }
        }
        if closing { current = nil }
    }

    private func removeStagingFiles() {
        for job in jobs where job.finalPath == nil {
            job.discard()
        }
    }
}

/// Records gathered for one hand-off to a shard's thread: payloads back to back.
struct RecordBatch: Sendable {
    var bytes: [UInt8] = []
    var lengths: [Int] = []

    mutating func append(_ payload: [UInt8]) {
        bytes.append(contentsOf: payload)
        lengths.append(payload.count)
    }
}

/// One shard being written on its own serial queue.
final class ShardJob: @unchecked Sendable {
    let number: Int
    let stagingPath: String
    let queue: DispatchQueue
    let options: ShardWriterOptions
    /// Counted by the producer thread.
    var records = 0
    var bytes = 0
    // Touched only on `queue`, or after the writer's group has drained.
    private var writer: RecordWriter?
    private(set) var offsets: [UInt64] = []
    private(set) var finalPath: String?
    /// Whether the finished shard's index sidecar waits at `stagingIndexPath`.
    private var indexWritten = false
    /// Where the index sidecar is written before it is published: a staging name too, so a
    /// crash leaves nothing but staging files.
    private var stagingIndexPath: String { stagingPath + ".tfindex" }

    init(number: Int, stagingPath: String, options: ShardWriterOptions) {
        self.number = number
        self.stagingPath = stagingPath
        self.options = options
        queue = DispatchQueue(label: "tfrecord.shard.\(number)")
    }

    func append(_ batch: RecordBatch) throws(TFRecordError) {
        if writer == nil {
            var write = options.write
            write.atomic = false
            write.sync = true
            writer = try RecordWriter(path: stagingPath, options: write)
        }
        let writer = writer!
        var start = 0
        var failed: TFRecordError?
        batch.bytes.withUnsafeBytes { all in
            for length in batch.lengths {
                offsets.append(writer.uncompressedOffset)
                do throws(TFRecordError) {
                    try writer.write(UnsafeRawBufferPointer(rebasing: all[start..<(start + length)]))
                } catch {
                    failed = error
                    return
                }
                start += length
            }
        }
        if let failed { throw failed }
    }

    func close() throws(TFRecordError) {
        if writer == nil { try append(RecordBatch()) }
        let streamSize = writer?.uncompressedOffset ?? 0
        try writer?.close()
        writer = nil
        if options.writeIndex {
            // GZIP/ZLIB shards get inflate checkpoints for random access: from the member headers
            // for blocked GZIP (no inflation), by one inflate pass otherwise.
            let compression = options.write.compression
            let checkpoints = compression == .gzip || compression == .zlib
                ? try InflateCheckpoints.build(path: stagingPath, compression: compression) : nil
            let index = RecordIndex(table: OffsetTable(copying: offsets), shard: try ShardIdentity.of(path: stagingPath),
                                    compression: compression, payloadsVerified: true, streamSize: streamSize,
                                    checkpoints: checkpoints)
            try index.write(to: stagingIndexPath)
            indexWritten = true
        }
    }

    /// Renames the finished shard to `path`, then its index sidecar beside it (a crash in
    /// between leaves a shard without an index, which readers rebuild).
    func publish(as path: String) throws(TFRecordError) {
        if rename(stagingPath, path) != 0 {
            throw TFRecordError(.io, "cannot rename \(stagingPath) into place", path: path, errno: errno)
        }
        finalPath = path
        guard indexWritten else { return }
        let sidecar = RecordIndex.sidecarPath(for: path)
        if rename(stagingIndexPath, sidecar) != 0 {
            let code = errno
            unlink(stagingIndexPath)
            throw TFRecordError(.io, "cannot rename \(stagingIndexPath) into place", path: sidecar, errno: code)
        }
        indexWritten = false
    }

    func discard() {
        writer?.abandon()
        unlink(stagingPath)
        unlink(stagingIndexPath)
    }
}

/// The first error of several threads, kept once.
final class FirstFailure: Sendable {
    private let storage = Mutex<TFRecordError?>(nil)

    /// The first error recorded, if any.
    var error: TFRecordError? { storage.withLock { $0 } }

    /// Keeps `error` unless one was recorded before.
    func record(_ error: TFRecordError) {
        storage.withLock { $0 = $0 ?? error }
    }
}
