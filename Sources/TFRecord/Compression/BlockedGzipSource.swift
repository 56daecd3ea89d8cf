import CSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One member being decompressed: its compressed bytes, its output, its decompressor. Each slot
/// is touched by one worker at a time (the batch hands slot `i` to iteration `i`).
final class InflateSlot: @unchecked Sendable {
    var input = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var inputCount = 0
    var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var outputCount = 0
    var memberOffset: UInt64 = 0
    var ok = false
    let inflater: IsalInflater

    init() throws(TFRecordError) {
        inflater = try IsalInflater(zlib: false)
    }

    deinit {
        if input.baseAddress != nil { input.deallocate() }
        if output.baseAddress != nil { output.deallocate() }
    }

    static func ensure(_ buffer: inout UnsafeMutableRawBufferPointer, _ count: Int) {
        if buffer.count < count {
            if buffer.baseAddress != nil { buffer.deallocate() }
            buffer = .allocate(byteCount: max(count, 64), alignment: 16)
        }
    }

    /// Inflates the whole member with igzip, checking its CRC-32 and size.
    func decompress() {
        inflater.reset()
        let r = inflater.inflate(UnsafeRawBufferPointer(rebasing: input[..<inputCount]),
                                 into: UnsafeMutableRawBufferPointer(rebasing: output[..<outputCount]))
        ok = r.status == 0 && r.finished && r.consumed == inputCount && r.produced == outputCount
    }
}

/// A batch of members read and inflated together, on a worker, while the reader delivers the
/// previous batch. Handed between the reader and one worker through a semaphore: never touched
/// by both at once.
final class InflateBatch: @unchecked Sendable {
    let slots: [InflateSlot]
    /// Members read into the slots.
    var count = 0
    /// Leading members inflated intact.
    var good = 0
    /// The compressed offset after the last member read.
    var endOffset: UInt64 = 0
    /// Reading stopped before the end of the file (a member without the size subfield, too
    /// large, cut short) or a member did not inflate: the streaming reader takes over there.
    var stopped = false
    var failure: TFRecordError?

    init(slots: [InflateSlot]) { self.slots = slots }

    /// Where the streaming reader must take over after the good members.
    var stopOffset: UInt64 { good < count ? slots[good].memberOffset : endOffset }

    /// Reads up to `slots.count` members from `offset` and inflates them in parallel.
    func decode(fd: Int32, path: String, fileSize: UInt64, from offset: UInt64) {
        count = 0
        good = 0
        stopped = false
        failure = nil
        var next = offset
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        do throws(TFRecordError) {
            while count < slots.count && next < fileSize {
                var n = 0
                var readFailure: TFRecordError?
                header.withUnsafeMutableBytes { h in
                    do throws(TFRecordError) { n = try SystemCalls.pread(fd, h, at: Int(next), path: path) } catch { readFailure = error }
                }
                if let readFailure { throw readFailure }
                guard n == header.count,
                      let size = header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }),
                      size <= fileSize - next, size <= UInt64(BlockedGzipSource.maximumMember) else {
                    stopped = true
                    break
                }
                let slot = slots[count]
                InflateSlot.ensure(&slot.input, Int(size))
                let got = try SystemCalls.pread(fd, UnsafeMutableRawBufferPointer(rebasing: slot.input[..<Int(size)]),
                                                at: Int(next), path: path)
                let isize = Int(UInt32(littleEndian: UnsafeRawPointer(slot.input.baseAddress! + Int(size) - 4).loadUnaligned(as: UInt32.self)))
                guard got == Int(size), isize <= BlockedGzipSource.maximumMember else {
                    stopped = true
                    break
                }
                InflateSlot.ensure(&slot.output, isize)
                slot.inputCount = Int(size)
                slot.outputCount = isize
                slot.memberOffset = next
                next += size
                count += 1
            }
        } catch {
            failure = error
        }
        endOffset = next
        let slots = self.slots
        if count == 1 {
            slots[0].decompress()
        } else if count > 1 {
            DispatchQueue.concurrentPerform(iterations: count) { i in slots[i].decompress() }
        }
        while good < count && slots[good].ok { good += 1 }
        if good < count { stopped = true }
    }
}

/// Reads a blocked GZIP file (`BlockedGzipFormat`): finds members by their size subfield,
/// inflates batches of them in parallel with ISA-L's igzip — the next batch on workers while
/// this one is delivered — and delivers their bytes in order.
///
/// Memory stays bounded (two batches of two members per worker): members larger than 64 MiB,
/// members without the subfield (another writer's member appended to the file), and damaged
/// members are handed to the streaming reader (`GzipZlibSource`) from that member on, which
/// reports damage with zlib's words and both offsets.
final class BlockedGzipSource: ByteSource {
    private let fd: Int32
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

    /// Takes ownership of `fd`.
    /// - Parameter threads: workers; 0 = every core.
    init(fd: Int32, path: String, threads: Int, bufferSize: Int) throws(TFRecordError) {
        self.fd = fd
        self.path = path
        self.bufferSize = bufferSize
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = Glibc.errno
            Glibc.close(fd)
            throw TFRecordError(.io, "cannot stat the file", path: path, errno: error)
        }
        fileSize = UInt64(info.st_size)
        let workers = threads > 0 ? threads : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var batches: [InflateBatch] = []
        for _ in 0..<2 {
            var slots: [InflateSlot] = []
            for _ in 0..<(workers == 1 ? 1 : workers * 2) {
                do { slots.append(try InflateSlot()) } catch {
                    Glibc.close(fd)
                    throw error.inFile(path)
                }
            }
            batches.append(InflateBatch(slots: slots))
        }
        self.batches = batches
    }

    deinit {
        if inFlight { finished.wait() }
        Glibc.close(fd)
    }

    var compressedOffset: UInt64? {
        if let fallback { return fallback.compressedOffset }
        let batch = batches[currentBatch]
        return current < batch.good ? batch.slots[current].memberOffset : batch.endOffset
    }

    /// Starts decoding batch `index` from `offset` on a worker.
    private func launch(_ index: Int, from offset: UInt64) {
        let batch = batches[index]
        let (fd, path, fileSize, finished) = (self.fd, self.path, self.fileSize, self.finished)
        inFlight = true
        DispatchQueue.global().async {
            batch.decode(fd: fd, path: path, fileSize: fileSize, from: offset)
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
                let copy = dup(fd)
                guard copy >= 0 else { throw TFRecordError(.io, "cannot duplicate the descriptor", path: path, errno: Glibc.errno) }
                fallback = try GzipZlibSource(fd: copy, path: path, format: .gzip, bufferSize: bufferSize,
                                              startOffset: batch.stopOffset, uncompressedBase: uncompressedOffset,
                                              membersBefore: membersDecoded)
                continue
            }
            return 0
        }
    }
}
