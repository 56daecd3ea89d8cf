import CSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One block in flight: its uncompressed records, its compressed member, its compressor.
/// Each slot is touched by one worker at a time (the batch hands slot `i` to iteration `i`).
final class BlockSlot: @unchecked Sendable {
    var input: UnsafeMutableRawBufferPointer
    var count = 0
    var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var outputCount = 0
    var failure: TFRecordError?
    let compressor: BlockCompressor

    init(capacity: Int, compressor: BlockCompressor) {
        input = .allocate(byteCount: max(capacity, 64), alignment: 16)
        self.compressor = compressor
    }

    deinit {
        input.deallocate()
        if output.baseAddress != nil { output.deallocate() }
    }

    /// Appends `bytes`, growing the buffer when a record is larger than the block.
    func append(_ bytes: UnsafeRawBufferPointer) {
        if count + bytes.count > input.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(input.count * 2, count + bytes.count), alignment: 16)
            bigger.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: count)
            input.deallocate()
            input = bigger
        }
        if !bytes.isEmpty { (input.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        count += bytes.count
    }

    /// Compresses the block into `output`.
    func compress() {
        let bound = compressor.bound(count)
        if output.count < bound {
            if output.baseAddress != nil { output.deallocate() }
            output = .allocate(byteCount: bound, alignment: 16)
        }
        do {
            outputCount = try compressor.compress(UnsafeRawBufferPointer(rebasing: input[..<count]), into: output)
        } catch {
            failure = error
        }
    }
}

/// The blocked writer: records go into blocks of about `blockSize` uncompressed bytes, cut only
/// at record boundaries; each block becomes an independent gzip member (`BlockedGzipFormat`) or
/// LZ4 frame. Blocks are compressed in batches, in parallel on `threads` workers, and written in
/// order, so the file is the same whatever the thread count. A file with records never holds an
/// empty member (TensorFlow stops reading at one); a file without records is one empty member.
final class BlockedSink: RecordPiecesSink {
    private let file: FileSink
    private let compression: Compression
    private let blockSize: Int
    private let slots: [BlockSlot]
    /// Slots filled so far in this batch; `slots[filled]` is being filled when not full.
    private var filled = 0
    private var membersWritten = 0
    private var finished = false

    /// - Parameters:
    ///   - compression: `.gzip` or `.lz4`.
    ///   - blockSize: uncompressed bytes per member (a member ends after the record that reaches it).
    ///   - threads: workers; 0 = every core.
    init(file: FileSink, compression: Compression, blockSize: Int, threads: Int, level: Int,
         zlib: ZlibOptions, engine: BlockCompressor.Engine) throws(TFRecordError) {
        guard blockSize > 0 else {
            throw TFRecordError(.invalidArgument, "block size must be positive", path: file.path)
        }
        self.file = file
        self.compression = compression
        self.blockSize = blockSize
        let workers = threads > 0 ? threads : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var slots: [BlockSlot] = []
        // Two blocks per worker per batch, so a slow block does not idle the others for long.
        for _ in 0..<(workers == 1 ? 1 : workers * 2) {
            let compressor = try BlockCompressor(compression: compression, engine: engine, level: level,
                                                 memLevel: zlib.memLevel, strategy: zlib.strategy.rawValue)
            slots.append(BlockSlot(capacity: blockSize + blockSize / 8, compressor: compressor))
        }
        self.slots = slots
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TFRecordError) {
        slots[filled].append(bytes)
    }

    func writeRecord(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, footer: UnsafeRawBufferPointer) throws(TFRecordError) {
        let slot = slots[filled]
        slot.append(header)
        slot.append(payload)
        slot.append(footer)
        if slot.count >= blockSize {
            filled += 1
            if filled == slots.count { try compressBatch() }
        }
    }

    /// Compresses the full slots (and the partial one when `includePartial`) and writes them.
    private func compressBatch(includePartial: Bool = false) throws(TFRecordError) {
        let count = includePartial && filled < slots.count && slots[filled].count > 0 ? filled + 1 : filled
        guard count > 0 else { return }
        let batch = slots
        if count == 1 {
            batch[0].compress()
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { i in batch[i].compress() }
        }
        for slot in batch[..<count] {
            if let failure = slot.failure { throw failure.inFile(file.path) }
            try file.write(UnsafeRawBufferPointer(rebasing: slot.output[..<slot.outputCount]))
            slot.count = 0
            membersWritten += 1
        }
        filled = 0
    }

    func flush() throws(TFRecordError) {
        guard !finished else { return }
        try compressBatch(includePartial: true)
    }

    func finish() throws(TFRecordError) {
        guard !finished else { return }
        try compressBatch(includePartial: true)
        if membersWritten == 0 {
            // No records: one empty member, so the file is still a valid gzip / LZ4 file.
            slots[0].count = 0
            slots[0].compress()
            if let failure = slots[0].failure { throw failure.inFile(file.path) }
            try file.write(UnsafeRawBufferPointer(rebasing: slots[0].output[..<slots[0].outputCount]))
        }
        finished = true
    }
}
