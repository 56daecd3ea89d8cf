import CSupport
/// Access points into a GZIP or ZLIB file written by anyone (zlib's `zran.c` technique): at a
/// deflate block boundary about every `spacing` bytes of output, the compressed bit position,
/// the uncompressed offset and the 32 KiB of output before it — enough to start inflating there.
/// With them, `RecordFile` reads any record by inflating at most one span.
///
/// A separate type with its own serialization (`serialized()` / `init(serialized:)`), so a record
/// index can embed it as an optional section.
public struct InflateCheckpoints: Sendable, Equatable {
    /// One access point.
    public struct Checkpoint: Sendable, Equatable {
        /// The first whole compressed byte after the access point; the access point itself is
        /// `bits` bits before it.
        public var compressedOffset: UInt64
        /// Bits (0...7) of the byte before `compressedOffset` that belong to the next block.
        public var bits: UInt8
        /// The uncompressed offset of the access point.
        public var uncompressedOffset: UInt64
        /// The uncompressed bytes just before the access point (up to 32 KiB), or empty at the
        /// start of a member.
        public var window: [UInt8]
        /// `compressedOffset` is the first byte of a gzip member / zlib stream header.
        public var atMemberStart: Bool
    }

    /// `.gzip` or `.zlib`.
    public var compression: Compression
    /// The access points, in file order; the first is the start of the file.
    public var checkpoints: [Checkpoint]
    /// The size of the uncompressed stream.
    public var uncompressedSize: UInt64

    static let magic: [UInt8] = Array("TFZCKPT1".utf8)

    /// Scans `path` once with zlib and records an access point about every `spacing` bytes of
    /// output, and at every member start. A blocked GZIP file (`WriteOptions.blockSize`) is not
    /// inflated: its member headers give one access point per member.
    /// - Parameters:
    ///   - path: a GZIP or ZLIB TFRecord file (any number of members / streams).
    ///   - compression: its compression, or nil to detect it.
    ///   - spacing: uncompressed bytes between access points (default 1 MiB).
    /// - Returns: the checkpoints.
    /// - Throws: `TFRecordError` (`.io`, `.compression`, `.truncated`) when the file cannot be
    ///   read through to its end.
    /// - Complexity: O(file size); memory O(file size / spacing × 32 KiB).
    public static func build(path: String, compression: Compression? = nil,
                             spacing: Int = 1 << 20) throws(TFRecordError) -> InflateCheckpoints {
        try build(path: path, compression: compression, spacing: spacing, verifyingMembers: true)
    }

    /// `build(path:compression:spacing:)`; `verifyingMembers: false` trusts a blocked GZIP
    /// file's member size hints (for a file this process has just written).
    static func build(path: String, compression: Compression? = nil, spacing: Int = 1 << 20,
                      verifyingMembers: Bool) throws(TFRecordError) -> InflateCheckpoints {
        try build(input: FileInput(fd: FileDescriptor(opening: path, .read), path: path), compression: compression,
                  spacing: spacing, verifyingMembers: verifyingMembers)
    }

    /// Builds the checkpoints of a GZIP or ZLIB `StoredObject` in one front-to-back read (a blocked
    /// GZIP object: one positioned read per member header and member instead).
    /// - Parameters:
    ///   - object: the compressed shard.
    ///   - compression: its compression, or nil to detect it.
    ///   - spacing: uncompressed bytes between access points (default 1 MiB).
    /// - Returns: the checkpoints.
    /// - Throws: `TFRecordError` (`.io`, `.compression`, `.truncated`) naming the object.
    /// - Complexity: O(object size) bytes fetched; memory O(size / spacing × 32 KiB).
    public static func build(object: any StoredObject, compression: Compression? = nil,
                             spacing: Int = 1 << 20) throws(TFRecordError) -> InflateCheckpoints {
        try build(input: ObjectInput(object: object), compression: compression, spacing: spacing, verifyingMembers: true)
    }

    /// The checkpoints of the compressed bytes of `input`, read from its start.
    static func build(input file: any ByteInput, compression: Compression?, spacing: Int,
                      verifyingMembers: Bool) throws(TFRecordError) -> InflateCheckpoints {
        let path = file.path
        let format: Compression
        if let compression {
            format = compression
        } else {
            format = Compression.detect(prefix: try RecordReader.readPrefix(file))
        }
        guard format == .gzip || format == .zlib else {
            throw TFRecordError(.invalidArgument, "inflate checkpoints are for GZIP and ZLIB files, not \(format)", path: path)
        }
        if format == .gzip, let members = try blockedMembers(file, verifyingMembers: verifyingMembers) { return members }
        file.seek(to: 0)
        let wrapped: Int32 = format == .gzip ? 31 : 15
        let z = try ZStream(inflateWindowBits: wrapped)
        let windowSize = 32 << 10
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: windowSize, alignment: 16)
        defer { input.deallocate(); window.deallocate() }
        var result = InflateCheckpoints(compression: format, checkpoints: [], uncompressedSize: 0)
        var consumed: UInt64 = 0   // compressed bytes consumed by zlib
        var produced: UInt64 = 0   // uncompressed bytes produced
        var windowFill = 0         // valid bytes in the circular window (up to windowSize)
        var windowPos = 0          // next write position in the circular window
        var lastPoint: UInt64 = 0
        var inMember = false
        var atEOF = false
        var inputCount = 0
        var inputStart = 0

        func windowBytes() -> [UInt8] {
            guard windowFill > 0 else { return [] }
            if windowFill < windowSize { return Array(window[0..<windowFill]) }
            return Array(window[windowPos..<windowSize]) + Array(window[0..<windowPos])
        }

        while true {
            if inputStart == inputCount && !atEOF {
                inputCount = try file.read(into: input)
                inputStart = 0
                if inputCount == 0 { atEOF = true }
            }
            if inputStart == inputCount && atEOF {
                if inMember {
                    throw TFRecordError(.truncated, "the file ends inside a compressed stream", path: path,
                                        offset: produced, compressedOffset: consumed)
                }
                break
            }
            if !inMember {
                z.reset()
                inMember = true
                result.checkpoints.append(Checkpoint(compressedOffset: consumed, bits: 0, uncompressedOffset: produced,
                                                     window: [], atMemberStart: true))
                lastPoint = produced
                windowFill = 0
                windowPos = 0
            }
            let before = inputCount - inputStart
            z.setInput(input.baseAddress! + inputStart, count: before)
            z.setOutput(window.baseAddress! + windowPos, count: windowSize - windowPos)
            let status = z.inflate(Z_BLOCK)
            let used = before - z.availableIn
            let out = windowSize - windowPos - z.availableOut
            z.setOutput(nil, count: 0)
            inputStart += used
            consumed += UInt64(used)
            produced += UInt64(out)
            windowPos = (windowPos + out) % windowSize
            windowFill = min(windowSize, windowFill + out)
            if status == Z_STREAM_END {
                inMember = false
                continue
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw TFRecordError(.compression, "inflate() failed with error \(status)\(z.message.map { ": " + $0 } ?? "")",
                                    path: path, offset: produced, compressedOffset: consumed)
            }
            let dataType = z.stream.pointee.data_type
            // At the end of a deflate block header-free boundary (bit 7) that is not the last
            // block (bit 6): an access point.
            if dataType & 128 != 0 && dataType & 64 == 0 && produced - lastPoint >= UInt64(spacing) {
                result.checkpoints.append(Checkpoint(compressedOffset: consumed, bits: UInt8(dataType & 7),
                                                     uncompressedOffset: produced, window: windowBytes(),
                                                     atMemberStart: false))
                lastPoint = produced
            }
        }
        result.uncompressedSize = produced
        return result
    }

    /// For a blocked GZIP file (`BlockedGzipFormat`, every member with its size subfield and at
    /// most 64 MiB): one access point per member, found from the member headers and ISIZE
    /// trailers. nil for any other file.
    ///
    /// The size subfield is a hint anyone can write: unless `verifyingMembers` is false (a file
    /// this process has just written), every member is inflated (in parallel, as the sequential
    /// reader does) and must end exactly where its hint says and produce exactly its ISIZE;
    /// otherwise nil, and the caller indexes the file as any GZIP file.
    static func blockedMembers(_ file: any ByteInput, verifyingMembers: Bool = true) throws(TFRecordError) -> InflateCheckpoints? {
        let fileSize = try file.size()
        if verifyingMembers {
            return try verifiedBlockedMembers(file, fileSize: fileSize)
        }
        var points: [Checkpoint] = []
        var offset: UInt64 = 0
        var uncompressed: UInt64 = 0
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        var isize: UInt32 = 0
        while offset < fileSize {
            let n = try header.withMutableBytes { (h) throws(TFRecordError) in
                try file.read(into: h, at: offset)
            }
            guard n == header.count, let size = header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }),
                  size <= fileSize - offset, size <= UInt64(BlockedGzipSource.maximumMember) else { return nil }
            let got = try withUnsafeMutableBytes(of: &isize) { (b) throws(TFRecordError) -> Int in
                try file.read(into: b, at: offset + size - 4)
            }
            guard got == 4 else { return nil }
            points.append(Checkpoint(compressedOffset: offset, bits: 0, uncompressedOffset: uncompressed, window: [], atMemberStart: true))
            offset += size
            uncompressed += UInt64(UInt32(littleEndian: isize))
        }
        guard !points.isEmpty else { return nil }
        return InflateCheckpoints(compression: .gzip, checkpoints: points, uncompressedSize: uncompressed)
    }

    /// `blockedMembers` with every member inflated and checked against its hint and ISIZE.
    private static func verifiedBlockedMembers(_ file: any ByteInput, fileSize: UInt64) throws(TFRecordError) -> InflateCheckpoints? {
        let path = file.path
        let workers = max(1, onlineProcessors())
        var slots: [InflateSlot] = []
        for _ in 0..<(workers == 1 ? 1 : workers * 2) {
            do { slots.append(try InflateSlot()) } catch { throw error.inFile(path) }
        }
        let batch = InflateBatch(slots: slots)
        var points: [Checkpoint] = []
        var offset: UInt64 = 0
        var uncompressed: UInt64 = 0
        while offset < fileSize {
            batch.decode(file, fileSize: fileSize, from: offset)
            if let failure = batch.failure { throw failure }
            // Any member that is not exactly what its hint says: not (verifiably) blocked.
            guard batch.count > 0, batch.good == batch.count, !batch.stopped || batch.endOffset == fileSize else { return nil }
            for k in 0..<batch.good {
                points.append(Checkpoint(compressedOffset: batch.slots[k].memberOffset, bits: 0, uncompressedOffset: uncompressed,
                                         window: [], atMemberStart: true))
                uncompressed += UInt64(batch.slots[k].outputCount)
            }
            offset = batch.endOffset
        }
        guard !points.isEmpty else { return nil }
        return InflateCheckpoints(compression: .gzip, checkpoints: points, uncompressedSize: uncompressed)
    }

    /// Checks that these checkpoints can describe a `compressedSize`-byte file whose record
    /// stream is `streamSize` bytes, before any value is used: the first is the start of the
    /// file; compressed offsets strictly increase and stay inside the file; uncompressed offsets
    /// never decrease and stay inside the stream; bit counts fit; the stream is no larger than
    /// deflate can expand the file to. Checkpoints from a sidecar are untrusted input.
    /// - Throws: `.corrupted` naming `path` and the first bad checkpoint.
    /// - Complexity: O(checkpoints).
    func validate(streamSize: UInt64, compressedSize: UInt64, path: String) throws(TFRecordError) {
        func fail(_ k: Int, _ why: String) -> TFRecordError {
            TFRecordError(.corrupted, "index inflate checkpoint \(k) \(why); rebuild the index with `tfrecord index`", path: path)
        }
        guard compression == .gzip || compression == .zlib else { throw fail(0, "is for \(compression)") }
        guard uncompressedSize == streamSize else {
            throw TFRecordError(.corrupted, "the index's inflate checkpoints describe a \(uncompressedSize)-byte stream but its offsets a \(streamSize)-byte one; rebuild the index with `tfrecord index`", path: path)
        }
        // Deflate expands at most 1032:1; each member adds at most a few bytes of framing.
        let (most, overflow) = compressedSize.multipliedReportingOverflow(by: 1032)
        guard overflow || uncompressedSize <= most else {
            throw TFRecordError(.corrupted, "the index claims a \(uncompressedSize)-byte stream, more than a \(compressedSize)-byte file can inflate to; rebuild the index with `tfrecord index`", path: path)
        }
        guard let first = checkpoints.first, first.compressedOffset == 0, first.uncompressedOffset == 0,
              first.bits == 0, first.atMemberStart else { throw fail(0, "is not the start of the file") }
        var previous = first
        for (k, point) in checkpoints.enumerated() {
            guard point.bits < 8, !(point.atMemberStart && point.bits != 0), point.compressedOffset >= UInt64(point.bits > 0 ? 1 : 0),
                  point.window.count <= 32 << 10 else { throw fail(k, "has impossible bits") }
            guard point.compressedOffset < compressedSize else { throw fail(k, "lies past the end of the \(compressedSize)-byte file") }
            guard point.uncompressedOffset <= uncompressedSize else { throw fail(k, "lies past the end of the stream") }
            if k > 0 {
                guard point.compressedOffset > previous.compressedOffset, point.uncompressedOffset >= previous.uncompressedOffset else {
                    throw fail(k, "goes back")
                }
            }
            previous = point
        }
    }

    /// The index of the last checkpoint at or before `offset`.
    func checkpointIndex(for offset: UInt64) -> Int {
        var low = 0
        var high = checkpoints.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if checkpoints[mid].uncompressedOffset <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// A self-checking binary form: magic `TFZCKPT1`, compression code, uncompressed size,
    /// count, then per checkpoint (compressed offset u64, bits u8, member start u8, uncompressed
    /// offset u64, window length u32, window), all little-endian, then the masked CRC32C of
    /// everything before it (u32).
    /// - Returns: the bytes.
    public func serialized() -> [UInt8] {
        var out = Self.magic
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt8(compression == .gzip ? 1 : 2))
        put(uncompressedSize)
        put(UInt64(checkpoints.count))
        for point in checkpoints {
            put(point.compressedOffset)
            put(point.bits)
            put(UInt8(point.atMemberStart ? 1 : 0))
            put(point.uncompressedOffset)
            put(UInt32(point.window.count))
            out.append(contentsOf: point.window)
        }
        put(CRC32C.mask(CRC32C.checksum(out)))
        return out
    }

    /// Decodes `serialized()` bytes.
    /// - Parameter bytes: what `serialized()` returned.
    /// - Throws: `TFRecordError.corrupted` when the bytes are not intact checkpoints.
    public init(serialized bytes: [UInt8]) throws(TFRecordError) {
        func fail(_ why: String) -> TFRecordError { TFRecordError(.corrupted, "inflate checkpoints: \(why)") }
        guard bytes.count >= Self.magic.count + 21 + 4, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            throw fail("not a checkpoint list")
        }
        let body = Array(bytes[..<(bytes.count - 4)])
        var position = bytes.count - 4
        func get<T: FixedWidthInteger>(_: T.Type) throws(TFRecordError) -> T {
            let size = MemoryLayout<T>.size
            guard position + size <= bytes.count else { throw fail("cut short") }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes[position..<(position + size)]) }
            position += size
            return T(littleEndian: value)
        }
        guard try get(UInt32.self) == CRC32C.mask(CRC32C.checksum(body)) else { throw fail("checksum mismatch") }
        position = Self.magic.count
        let code = try get(UInt8.self)
        guard code == 1 || code == 2 else { throw fail("unknown compression code \(code)") }
        compression = code == 1 ? .gzip : .zlib
        uncompressedSize = try get(UInt64.self)
        let count = try get(UInt64.self)
        guard count >= 1, count <= UInt64(bytes.count) else { throw fail("bad count \(count)") }
        checkpoints = []
        for _ in 0..<count {
            let compressedOffset = try get(UInt64.self)
            let bits = try get(UInt8.self)
            let memberStart = try get(UInt8.self)
            let uncompressedOffset = try get(UInt64.self)
            let length = Int(try get(UInt32.self))
            guard bits < 8, length <= 32 << 10, position + length <= body.count else { throw fail("bad checkpoint") }
            checkpoints.append(Checkpoint(compressedOffset: compressedOffset, bits: bits, uncompressedOffset: uncompressedOffset,
                                          window: Array(bytes[position..<(position + length)]), atMemberStart: memberStart != 0))
            position += length
        }
        guard position == body.count else { throw fail("trailing bytes") }
    }

    init(compression: Compression, checkpoints: [Checkpoint], uncompressedSize: UInt64) {
        self.compression = compression
        self.checkpoints = checkpoints
        self.uncompressedSize = uncompressedSize
    }
}
