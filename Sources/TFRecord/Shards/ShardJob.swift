import Dispatch
import Synchronization
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
    /// between leaves a shard without an index, which readers rebuild).
    func publish(as path: String) throws(TFRecordError) {
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
        SystemCalls.remove(stagingPath)
        SystemCalls.remove(stagingIndexPath)
    }
}
