import Dispatch
import Synchronization
/// Writes a stream of records into numbered shard files, several shards at once on their own
/// threads, crash-safe.
///
/// Each shard is written under a hidden staging name, `fsync`ed and only then renamed to its
/// final name, so a crash or kill at any moment leaves complete shards only under final names
/// (names with `{total}` are given when `finish()` knows the total). Shard contents depend only
/// on the records, so the output is byte-identical whatever `parallelShards` is. With
/// `ShardWriterOptions.publisher`, finished shards go to the publisher (an object store)
/// instead of being renamed within the folder.
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
    /// - Throws: `TFRecordError.invalidArgument` for options that cannot work (a prefix with
    ///   `/` or `..`), `.io` when the
    ///   folder cannot be created.
    public init(options: ShardWriterOptions) throws(TFRecordError) {
        guard options.recordsPerShard != nil || options.bytesPerShard != nil else {
            throw TFRecordError(.invalidArgument, "give records per shard or bytes per shard")
        }
        if let n = options.recordsPerShard, n < 1 { throw TFRecordError(.invalidArgument, "records per shard must be >= 1") }
        if let n = options.bytesPerShard, n < 1 { throw TFRecordError(.invalidArgument, "bytes per shard must be >= 1") }
        // The prefix is part of every shard and staging name: a slash or `..` would put files
        // outside the folder.
        if options.prefix.contains("/") || options.prefix.contains("..") || options.prefix.contains("\0") {
            throw TFRecordError(.invalidArgument, "shard prefix '\(options.prefix)' must be a plain name (no '/', no '..')")
        }
        self.options = options
        slots = DispatchSemaphore(value: min(max(1, options.parallelShards), threadLimit()))
        try SystemCalls.makeDirectory(options.directory)
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
        if options.publisher != nil {
            // Publishing is network I/O: each shard on its own worker queue, several at once.
            let published = DispatchGroup()
            for job in jobs where job.finalPath == nil {
                let path = options.directory + "/" + options.nameTemplate.name(prefix: options.prefix, shard: job.number,
                                                                               total: total, count: job.records)
                slots.wait()
                published.enter()
                job.queue.async { [failure, slots] in
                    defer {
                        slots.signal()
                        published.leave()
                    }
                    guard failure.error == nil else { return }
                    do throws(TFRecordError) { try job.publish(as: path) } catch { failure.record(error) }
                }
            }
            published.wait()
            if let error = failure.error {
                removeStagingFiles()
                throw error
            }
        }
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
        let job = ShardJob(number: shardNumber, options: options)
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
