import Dispatch
import Synchronization
/// One shard being written on its own serial queue.
final class ShardJob: @unchecked Sendable {
    let number: Int
    /// The hidden file the shard is written to (random name, created exclusively by the first
    /// `append`), nil until then.
    private(set) var stagingPath: String?
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
    private var stagingIndexPath: String? { stagingPath.map { $0 + ".tfindex" } }

    init(number: Int, options: ShardWriterOptions) {
        self.number = number
        self.options = options
        queue = DispatchQueue(label: "tfrecord.shard.\(number)")
    }

    func append(_ batch: RecordBatch) throws(TFRecordError) {
        if writer == nil {
            var write = options.write
            write.atomic = false
            write.sync = options.publisher == nil  // a published staging file is uploaded, not kept
            // `.<prefix>.shard-<n>.staging-<pid>-<random>`, O_EXCL|O_NOFOLLOW: a link planted
            // at a guessed name is never followed.
            let file = try TemporaryFile(beside: options.directory + "/" + options.prefix + ".shard-\(number)", tag: "staging")
            let path = file.path
            stagingPath = path
            writer = try RecordWriter(descriptor: file.descriptor, path: path, writingPath: path, options: write)
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
        guard let stagingPath, let stagingIndexPath else { return }
        if options.writeIndex {
            // GZIP/ZLIB shards get inflate checkpoints for random access: from the member headers
            // for blocked GZIP (no inflation: this process wrote them, so their size hints are
            // trusted), by one inflate pass otherwise.
            let compression = options.write.compression
            let checkpoints = compression == .gzip || compression == .zlib
                ? try InflateCheckpoints.build(path: stagingPath, compression: compression, verifyingMembers: false) : nil
            let index = RecordIndex(table: OffsetTable(copying: offsets), shard: try ShardIdentity.of(path: stagingPath),
                                    compression: compression, checksumsVerified: true, streamSize: streamSize,
                                    checkpoints: checkpoints)
            try index.write(to: stagingIndexPath)
            indexWritten = true
        }
    }

    /// Renames the finished shard to `path`, then its index sidecar beside it (a crash in
    /// between leaves a shard without an index, which readers rebuild). With a publisher, hands
    /// both to it under the name of `path` instead and removes the staging files.
    func publish(as path: String) throws(TFRecordError) {
        guard let stagingPath, let stagingIndexPath else { return }
        if let publisher = options.publisher {
            let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
            defer {
                SystemCalls.remove(stagingPath)
                SystemCalls.remove(stagingIndexPath)
            }
            try publisher.publish(shard: stagingPath, sidecar: indexWritten ? stagingIndexPath : nil, as: name,
                                  sidecarName: RecordIndex.sidecarPath(for: name))
            indexWritten = false
            finalPath = publisher.location(of: name)
            return
        }
        try SystemCalls.checkReplaceable(path)
        try SystemCalls.checkReplaceable(RecordIndex.sidecarPath(for: path))
        try SystemCalls.rename(stagingPath, to: path)
        finalPath = path
        guard indexWritten else { return }
        let sidecar = RecordIndex.sidecarPath(for: path)
        do {
            try SystemCalls.rename(stagingIndexPath, to: sidecar)
        } catch {
            SystemCalls.remove(stagingIndexPath)
            throw error
        }
        indexWritten = false
    }

    func discard() {
        writer?.abandon()
        if let stagingPath { SystemCalls.remove(stagingPath) }
        if let stagingIndexPath { SystemCalls.remove(stagingIndexPath) }
    }
}
