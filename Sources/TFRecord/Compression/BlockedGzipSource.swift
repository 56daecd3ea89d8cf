import CSupport
import Dispatch
/// Reads a blocked GZIP file (`BlockedGzipFormat`): finds members by their size subfield,
/// inflates batches of them in parallel with ISA-L's igzip — the next batch on workers while
/// this one is delivered — and delivers their bytes in order.
///
/// Memory stays bounded (two batches of two members per worker): members larger than 64 MiB,
/// members without the subfield (another writer's member appended to the file), and damaged
/// members are handed to the streaming reader (`GzipZlibSource`) from that member on, which
/// reports damage with zlib's words and both offsets.
final class BlockedGzipSource: ByteSource {
    /// The compressed bytes: a local file or a stored object (positioned reads from workers).
    private let file: any ByteInput
    private let path: String
    private let bufferSize: Int
    private let fileSize: UInt64
    private let batches: [InflateBatch]
    /// The batch being delivered, and whether the other one is being decoded.
    private var currentBatch = 0
    private var inFlight = false
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    private var membersDecoded = 0
    /// The slot being delivered in the current batch, and bytes of it delivered.
    private var current = 0
    private var delivered = 0
    /// Uncompressed bytes handed out so far.
    private var uncompressedOffset: UInt64 = 0
    private var fallback: GzipZlibSource?
    /// The largest member decoded in one piece.
    static let maximumMember = 64 << 20

    /// Reads the members from `file` (a local file or a stored object).
    /// - Parameter threads: workers; 0 = every core.
    init(input file: any ByteInput, threads: Int, bufferSize: Int) throws(TFRecordError) {
        self.file = file
        self.path = file.path
        self.bufferSize = bufferSize
        fileSize = try file.size()
        let workers = threads > 0 ? threads : onlineProcessors()
        var batches: [InflateBatch] = []
        for _ in 0..<2 {
            var slots: [InflateSlot] = []
            for _ in 0..<(workers == 1 ? 1 : workers * 2) {
                do { slots.append(try InflateSlot()) } catch {
                    throw error.inFile(path)
                }
            }
            batches.append(InflateBatch(slots: slots))
        }
        self.batches = batches
    }

    deinit {
        if inFlight { finished.wait() }
    }

    var compressedOffset: UInt64? {
        if let fallback { return fallback.compressedOffset }
        let batch = batches[currentBatch]
        return current < batch.good ? batch.slots[current].memberOffset : batch.endOffset
    }

    /// Starts decoding batch `index` from `offset` on a worker.
    private func launch(_ index: Int, from offset: UInt64) {
        let batch = batches[index]
        let (file, fileSize, finished) = (self.file, self.fileSize, self.finished)
        inFlight = true
        DispatchQueue.global().async {
            batch.decode(file, fileSize: fileSize, from: offset)
            finished.signal()
        }
    }

    /// Waits for the batch in flight, makes it current, and launches the next one.
    private func advance() throws(TFRecordError) {
        finished.wait()
        inFlight = false
        currentBatch = 1 - currentBatch
        let batch = batches[currentBatch]
        if let failure = batch.failure { throw failure }
        membersDecoded += batch.good
        current = 0
        delivered = 0
        if !batch.stopped && batch.endOffset < fileSize {
            launch(1 - currentBatch, from: batch.endOffset)
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if !started {
            started = true
            currentBatch = 1
            launch(0, from: 0)
            try advance()
        }
        while true {
            if let fallback { return try fallback.read(into: buffer) }
            let batch = batches[currentBatch]
            if current < batch.good {
                let slot = batch.slots[current]
                let n = min(buffer.count, slot.outputCount - delivered)
                if n > 0 {
                    buffer.baseAddress!.copyMemory(from: slot.output.baseAddress! + delivered, byteCount: n)
                }
                delivered += n
                uncompressedOffset += UInt64(n)
                if delivered == slot.outputCount {
                    current += 1
                    delivered = 0
                }
                if n > 0 { return n }
                continue
            }
            if inFlight {
                try advance()
                continue
            }
            if batch.stopped {
                fallback = try GzipZlibSource(input: file.reopened(), format: .gzip, bufferSize: bufferSize,
                                              startOffset: batch.stopOffset, uncompressedBase: uncompressedOffset,
                                              membersBefore: membersDecoded)
                continue
            }
            return 0
        }
    }
}
