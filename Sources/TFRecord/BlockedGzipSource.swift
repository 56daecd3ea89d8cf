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

/// Reads a blocked GZIP file (`BlockedGzipFormat`): finds members by their size subfield,
/// decompresses batches of them in parallel with ISA-L's igzip, and delivers their bytes in order.
///
/// Memory stays bounded: members larger than 64 MiB, members without the subfield (another
/// writer's member appended to the file), and damaged members are handed to the streaming zlib
/// reader (`GzipZlibSource`) from that member on, which reports damage with zlib's words and
/// both offsets.
final class BlockedGzipSource: ByteSource {
    private let fd: Int32
    private let path: String
    private let bufferSize: Int
    private let fileSize: UInt64
    private let slots: [InflateSlot]
    /// Compressed offset of the next member to decode.
    private var nextMember: UInt64 = 0
    private var membersDecoded = 0
    /// Slots of the current batch holding output, and the one being delivered.
    private var decoded = 0
    private var current = 0
    private var delivered = 0
    /// Uncompressed bytes handed out so far.
    private var uncompressedOffset: UInt64 = 0
    /// Where the streaming reader must take over, once the decoded slots are delivered.
    private var fallbackAt: UInt64?
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
        var slots: [InflateSlot] = []
        for _ in 0..<(workers == 1 ? 1 : workers * 2) {
            do { slots.append(try InflateSlot()) } catch {
                Glibc.close(fd)
                throw error.inFile(path)
            }
        }
        self.slots = slots
    }

    deinit { Glibc.close(fd) }

    var compressedOffset: UInt64? {
        if let fallback { return fallback.compressedOffset }
        return current < decoded ? slots[current].memberOffset : nextMember
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        while true {
            if let fallback { return try fallback.read(into: buffer) }
            if current < decoded {
                let slot = slots[current]
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
            if let at = fallbackAt {
                var source: GzipZlibSource
                let copy = dup(fd)
                guard copy >= 0 else { throw TFRecordError(.io, "cannot duplicate the descriptor", path: path, errno: Glibc.errno) }
                source = try GzipZlibSource(fd: copy, path: path, format: .gzip, bufferSize: bufferSize,
                                            startOffset: at, uncompressedBase: uncompressedOffset,
                                            membersBefore: membersDecoded)
                fallback = source
                continue
            }
            if nextMember >= fileSize { return 0 }
            try decodeBatch()
        }
    }

    /// Reads the next members into the slots and inflates them in parallel.
    private func decodeBatch() throws(TFRecordError) {
        var count = 0
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        while count < slots.count && nextMember < fileSize {
            var n = 0
            var failure: TFRecordError?
            header.withUnsafeMutableBytes { h in
                do throws(TFRecordError) { n = try SystemCalls.pread(fd, h, at: Int(nextMember), path: path) } catch { failure = error }
            }
            if let failure { throw failure }
            guard n == header.count,
                  let size = header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }),
                  size <= fileSize - nextMember, size <= UInt64(Self.maximumMember) else { break }
            let slot = slots[count]
            InflateSlot.ensure(&slot.input, Int(size))
            let got = try SystemCalls.pread(fd, UnsafeMutableRawBufferPointer(rebasing: slot.input[..<Int(size)]),
                                            at: Int(nextMember), path: path)
            guard got == Int(size) else { break }
            let isize = Int(UInt32(littleEndian: UnsafeRawPointer(slot.input.baseAddress! + Int(size) - 4).loadUnaligned(as: UInt32.self)))
            guard isize <= Self.maximumMember else { break }
            InflateSlot.ensure(&slot.output, isize)
            slot.inputCount = Int(size)
            slot.outputCount = isize
            slot.memberOffset = nextMember
            nextMember += size
            count += 1
        }
        let batch = slots
        if count == 1 {
            batch[0].decompress()
        } else if count > 1 {
            DispatchQueue.concurrentPerform(iterations: count) { i in batch[i].decompress() }
        }
        var good = 0
        while good < count && batch[good].ok { good += 1 }
        membersDecoded += good
        decoded = good
        current = 0
        delivered = 0
        if good < count {
            fallbackAt = batch[good].memberOffset
        } else if count < slots.count && nextMember < fileSize {
            fallbackAt = nextMember
        }
    }
}
