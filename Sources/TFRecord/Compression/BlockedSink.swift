import CSupport
import Dispatch
/// The blocked writer: records go into blocks of about `blockSize` uncompressed bytes, cut only
/// at record boundaries; each block becomes an independent gzip member (`BlockedGzipFormat`) or
/// LZ4 frame. Blocks are compressed in batches, in parallel on `threads` workers, while the next
/// batch is being filled, and written in order, so the file is the same whatever the thread
/// count. A file with records never holds an empty member (TensorFlow stops reading at one); a
/// file without records is one empty member.
final class BlockedSink: RecordPiecesSink {
    private let file: ByteOutput
    private let compression: Compression
    private let blockSize: Int
    /// Two batches: one filled by the writer, the other compressed by workers.
    private let batches: [[BlockSlot]]
    private var filling = 0
    /// Slots filled so far in the filling batch; `batches[filling][filled]` is being filled.
    private var filled = 0
    /// Slots of the other batch being compressed (0 when none is in flight).
    private var inFlight = 0
    private let compressed = DispatchSemaphore(value: 0)
    private var membersWritten = 0
    private var finished = false

    /// - Parameters:
    ///   - compression: `.gzip` or `.lz4`.
    ///   - blockSize: uncompressed bytes per member (a member ends after the record that reaches it).
    ///   - threads: workers; 0 = every core.
    init(file: ByteOutput, compression: Compression, blockSize: Int, threads: Int, level: Int,
         zlib: ZlibOptions, engine: BlockCompressor.Engine) throws(TFRecordError) {
        guard blockSize > 0 && blockSize <= WriteOptions.maxBlockSize else {
            throw TFRecordError(.invalidArgument, "block size \(blockSize) must be 1...\(WriteOptions.maxBlockSize) bytes", path: file.path)
        }
        self.file = file
        self.compression = compression
        self.blockSize = blockSize
        let workers = threads > 0 ? min(threads, threadLimit()) : onlineProcessors()
        var batches: [[BlockSlot]] = []
        for _ in 0..<2 {
            var slots: [BlockSlot] = []
            // Two blocks per worker per batch, so a slow block does not idle the others for long.
            for _ in 0..<(workers == 1 ? 1 : workers * 2) {
                let compressor = try BlockCompressor(compression: compression, engine: engine, level: level,
                                                     memLevel: zlib.memLevel, strategy: zlib.strategy.rawValue)
                slots.append(BlockSlot(capacity: blockSize + blockSize / 8, compressor: compressor))
            }
            batches.append(slots)
        }
        self.batches = batches
    }

    deinit {
        if inFlight > 0 { compressed.wait() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        batches[filling][filled].append(bytes)
    }

    func writeRecord(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, footer: UnsafeRawBufferPointer) throws(TFRecordError) {
        let slot = batches[filling][filled]
        slot.append(header)
        slot.append(payload)
        slot.append(footer)
        if slot.count >= blockSize {
            filled += 1
            if filled == batches[filling].count { try rotate(count: filled) }
        }
    }

    /// Waits for the batch in flight and writes its members, in order.
    private func drainInFlight() throws(TFRecordError) {
        guard inFlight > 0 else { return }
        compressed.wait()
        let count = inFlight
        inFlight = 0
        for slot in batches[1 - filling][..<count] {
            if let failure = slot.failure { throw failure.inFile(file.path) }
            try file.write(UnsafeRawBufferPointer(rebasing: slot.output[..<slot.outputCount]))
            slot.count = 0
            membersWritten += 1
        }
    }

    /// Hands the first `count` slots of the filling batch to the workers and fills the other.
    private func rotate(count: Int) throws(TFRecordError) {
        try drainInFlight()
        guard count > 0 else { return }
        let batch = batches[filling]
        let done = compressed
        DispatchQueue.global().async {
            if count == 1 {
                batch[0].compress()
            } else {
                DispatchQueue.concurrentPerform(iterations: count) { i in batch[i].compress() }
            }
            done.signal()
        }
        inFlight = count
        filling = 1 - filling
        filled = 0
    }

    /// Compresses and writes everything written so far.
    private func compressAll() throws(TFRecordError) {
        let partial = batches[filling][filled].count > 0 ? 1 : 0
        try rotate(count: filled + partial)
        try drainInFlight()
    }

    func flush() throws(TFRecordError) {
        guard !finished else { return }
        try compressAll()
    }

    func finish() throws(TFRecordError) {
        guard !finished else { return }
        try compressAll()
        if membersWritten == 0 {
            // No records: one empty member, so the file is still a valid gzip / LZ4 file.
            let slot = batches[filling][0]
            slot.count = 0
            slot.compress()
            if let failure = slot.failure { throw failure.inFile(file.path) }
            try file.write(UnsafeRawBufferPointer(rebasing: slot.output[..<slot.outputCount]))
        }
        finished = true
    }
}
