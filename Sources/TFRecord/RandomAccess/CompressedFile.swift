import CSupport
/// Random access into a GZIP or ZLIB file through `InflateCheckpoints`: a read starts inflating
/// at the last access point before it, so it costs at most one checkpoint span (about 1 MiB of
/// output with the default spacing) instead of the whole file before it.
///
/// The compressed bytes are a local file or a `StoredObject` (positioned reads of 1 MiB, each one
/// request). Safe to share between threads: its state is immutable (path, checkpoints, an input
/// read with positioned reads only), and every read inflates with its own stream and buffers.
package final class CompressedFile: @unchecked Sendable {
    /// The file's path.
    package let path: String
    /// The access points used.
    package let checkpoints: InflateCheckpoints
    /// The compressed bytes, read with positioned reads only.
    private let file: any ByteInput

    /// Opens `path` with checkpoints built earlier (for example loaded from an index).
    /// - Throws: `TFRecordError.io` when the file cannot be opened.
    package init(path: String, checkpoints: InflateCheckpoints) throws(TFRecordError) {
        self.path = path
        self.checkpoints = checkpoints
        file = FileInput(fd: try FileDescriptor(opening: path, .read), path: path)
    }

    /// Reads `input` (a stored object) with checkpoints built earlier.
    init(input: any ByteInput, checkpoints: InflateCheckpoints) {
        path = input.path
        self.checkpoints = checkpoints
        file = input
    }

    /// Opens `path` and builds its checkpoints (one pass over the file).
    /// - Parameter spacing: uncompressed bytes between access points.
    /// - Throws: `TFRecordError` when the file cannot be read through.
    package convenience init(path: String, spacing: Int = 1 << 20) throws(TFRecordError) {
        try self.init(path: path, checkpoints: InflateCheckpoints.build(path: path, spacing: spacing))
    }

    /// Copies `count` uncompressed bytes starting at uncompressed `offset`.
    /// - Returns: the bytes.
    /// - Throws: `.invalidArgument` for a range outside the stream, `.compression` / `.truncated`
    ///   when the file is damaged or differs from what the checkpoints describe.
    /// - Complexity: O(spacing + count).
    package func read(at offset: UInt64, count: Int) throws(TFRecordError) -> [UInt8] {
        guard count >= 0, offset <= checkpoints.uncompressedSize,
              UInt64(count) <= checkpoints.uncompressedSize - offset else {
            throw TFRecordError(.invalidArgument, "range \(offset)+\(count) is outside the \(checkpoints.uncompressedSize)-byte stream", path: path)
        }
        let cursor = try Cursor(file: self, offset: offset)
        return try cursor.take(count)
    }

    /// The payload of the record whose header is at uncompressed `offset`, its checksums checked.
    /// - Parameters:
    ///   - offset: the record's header offset in the uncompressed stream (from an index).
    ///   - recordNumber: the record's number, for error messages.
    ///   - verifyingChecksums: check the payload CRC (the length CRC is always checked).
    /// - Returns: a copy of the payload.
    /// - Throws: `.corrupted` for a checksum mismatch, `.truncated` for a record cut short, and
    ///   what `read(at:count:)` throws.
    ///   - end: where the index says the record ends (the next record's offset or the stream's
    ///     end); nil to take the record's own length.
    package func record(atOffset offset: UInt64, recordNumber: Int? = nil, end: UInt64? = nil,
                       verifyingChecksums: Bool = true) throws(TFRecordError) -> [UInt8] {
        let header = Int(CSUPPORT_TFRECORD_HEADER_SIZE)
        let footer = Int(CSUPPORT_TFRECORD_FOOTER_SIZE)
        guard offset <= checkpoints.uncompressedSize, checkpoints.uncompressedSize - offset >= UInt64(header) else {
            throw TFRecordError(.truncated, "no 12-byte header at \(offset)", path: path, recordNumber: recordNumber, offset: offset)
        }
        let cursor = try Cursor(file: self, offset: offset)
        let head = try cursor.take(header)
        var length: UInt64 = 0
        guard head.withUnsafeBytes({ csupport_read_header($0.baseAddress, &length) }) != 0 else {
            throw TFRecordError(.corrupted, "length checksum mismatch", path: path, recordNumber: recordNumber, offset: offset)
        }
        guard length <= UInt64(ReadOptions.defaultMaxRecordSize) else {
            throw TFRecordError(.corrupted, "record size too large: the record claims \(length) payload bytes, more than the \(ReadOptions.defaultMaxRecordSize)-byte limit (ReadOptions.maxRecordSize)",
                                path: path, recordNumber: recordNumber, offset: offset)
        }
        let remaining = checkpoints.uncompressedSize - offset - UInt64(header)
        guard length <= remaining, remaining - length >= UInt64(footer) else {
            throw TFRecordError(.truncated, "the header claims \(length) payload bytes", path: path, recordNumber: recordNumber, offset: offset)
        }
        if let end, offset + UInt64(header + footer) + length != end {
            throw TFRecordError(.corrupted, "the record ends at \(offset + UInt64(header + footer) + length) but the index says the next record starts at \(end): the index does not match the file; rebuild it with `tfrecord index`",
                                path: path, recordNumber: recordNumber, offset: offset)
        }
        let rest = try cursor.take(Int(length) + footer)
        let payload = Array(rest[..<Int(length)])
        if verifyingChecksums {
            let stored = rest[Int(length)...].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
            guard CRC32C.mask(CRC32C.checksum(payload)) == stored else {
                throw TFRecordError(.corrupted, "payload checksum mismatch (\(length) bytes)", path: path,
                                    recordNumber: recordNumber, offset: offset + UInt64(header))
            }
        }
        return payload
    }

    /// One inflation from an access point forward.
    private final class Cursor {
        let file: CompressedFile
        let z: ZStream
        var raw: Bool
        /// Compressed offset of the next byte to give zlib.
        var position: UInt64
        let input: UnsafeMutableRawBufferPointer
        var inputStart = 0
        var inputCount = 0
        var wrappedBits: Int32 { file.checkpoints.compression == .gzip ? 31 : 15 }

        /// igzip inflates from a member start (about 2.5x zlib) until that member ends; zlib
        /// takes over after it, and redoes everything from the checkpoint if igzip fails.
        var isal: IsalInflater?
        let point: InflateCheckpoints.Checkpoint
        /// Uncompressed bytes produced since the checkpoint.
        var produced: UInt64 = 0
        /// The first member-start checkpoint after `point`: where the next member must begin,
        /// in both streams (checked at each member end, so a checkpoint that lies about where a
        /// member starts or how much it holds is found, not followed).
        let firstNextMember: Int
        var nextMember: Int

        init(file: CompressedFile, offset: UInt64) throws(TFRecordError) {
            self.file = file
            input = .allocate(byteCount: file.file.positionedReadSize, alignment: 16)
            let points = file.checkpoints
            let pointIndex = points.checkpointIndex(for: offset)
            let point = points.checkpoints[pointIndex]
            self.point = point
            var next = pointIndex + 1
            while next < points.checkpoints.count && !points.checkpoints[next].atMemberStart { next += 1 }
            firstNextMember = next
            nextMember = next
            raw = !point.atMemberStart
            position = point.compressedOffset
            do {
                z = try ZStream(inflateWindowBits: raw ? -15 : (points.compression == .gzip ? 31 : 15))
                if point.atMemberStart { isal = try IsalInflater(zlib: points.compression == .zlib) }
            } catch {
                input.deallocate()
                throw error.inFile(file.path)
            }
            if raw {
                if point.bits > 0 {
                    var byte: UInt8 = 0
                    let n = try withUnsafeMutableBytes(of: &byte) { (b) throws(TFRecordError) -> Int in
                        try file.file.read(into: b, at: point.compressedOffset - 1)
                    }
                    guard n == 1 else { throw TFRecordError(.truncated, "the file is shorter than its checkpoints say", path: file.path) }
                    _ = inflatePrime(z.stream, Int32(point.bits), Int32(byte >> (8 - point.bits)))
                }
                if !point.window.isEmpty {
                    _ = point.window.withUnsafeBufferPointer { inflateSetDictionary(z.stream, $0.baseAddress, UInt32($0.count)) }
                }
            }
            try skip(offset - point.uncompressedOffset)
        }

        /// Drops igzip and lets zlib redo everything from the checkpoint (a member start).
        func restartWithZlib() throws(TFRecordError) {
            isal = nil
            _ = inflateReset2(z.stream, wrappedBits)
            raw = false
            position = point.compressedOffset
            inputStart = 0
            inputCount = 0
            let redo = produced
            produced = 0
            nextMember = firstNextMember
            try skip(redo)
        }

        /// igzip's step; false when zlib must take over.
        func isalStep(_ isal: IsalInflater, _ out: UnsafeMutableRawBufferPointer, _ done: inout Int) throws(TFRecordError) {
            let r = isal.inflate(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputCount]),
                                 into: UnsafeMutableRawBufferPointer(rebasing: out[done...]))
            if r.status != 0 || (r.consumed == 0 && r.produced == 0 && !r.finished) {
                try restartWithZlib()
                return
            }
            inputStart += r.consumed
            position += UInt64(r.consumed)
            done += r.produced
            produced += UInt64(r.produced)
            if r.finished {
                // The member ended: zlib reads on from the next member, if igzip's idea of where
                // it starts is right (otherwise zlib redoes this member too).
                self.isal = nil
                _ = inflateReset2(z.stream, wrappedBits)
                raw = false
                var next: (UInt8, UInt8) = (0, 0)
                let n = try withUnsafeMutableBytes(of: &next) { (b) throws(TFRecordError) -> Int in
                    try file.file.read(into: b, at: position)
                }
                let gzip = file.checkpoints.compression == .gzip
                let plausible = gzip ? next == (0x1f, 0x8b)
                    : next.0 & 0x0f == 8 && (UInt16(next.0) << 8 | UInt16(next.1)) % 31 == 0
                if n == 2 && !plausible { try restartWithZlib() } else { try memberEnded() }
            }
        }

        deinit { input.deallocate() }

        /// A member (gzip member / zlib stream) ended at compressed `position`: the checkpoints
        /// must have the next member start exactly there, at exactly the uncompressed offset
        /// reached. Otherwise the lookup is not where it thinks it is.
        func memberEnded() throws(TFRecordError) {
            let points = file.checkpoints.checkpoints
            guard nextMember < points.count else { return }
            let reached = point.uncompressedOffset + produced
            let claimed = points[nextMember]
            guard claimed.compressedOffset == position, claimed.uncompressedOffset == reached else {
                throw TFRecordError(.corrupted, "a member ends at compressed offset \(position) after \(reached) uncompressed bytes, but the index's checkpoints say the next member starts at \(claimed.compressedOffset) after \(claimed.uncompressedOffset): the index does not match the file; rebuild it with `tfrecord index`",
                                    path: file.path, offset: reached, compressedOffset: position)
            }
            var next = nextMember + 1
            while next < points.count && !points[next].atMemberStart { next += 1 }
            nextMember = next
        }

        /// Inflates into `out`, crossing member ends.
        func fill(_ out: UnsafeMutableRawBufferPointer) throws(TFRecordError) {
            var done = 0
            while done < out.count {
                if inputStart == inputCount {
                    inputCount = try file.file.read(into: input, at: position)
                    inputStart = 0
                    if inputCount == 0 && isal != nil {
                        // igzip holds the end back until its trailer is complete: zlib redoes it.
                        try restartWithZlib()
                        continue
                    }
                    guard inputCount > 0 else {
                        throw TFRecordError(.truncated, "the file ends before the stream its checkpoints describe", path: file.path,
                                            compressedOffset: position)
                    }
                }
                if let isal {
                    try isalStep(isal, out, &done)
                    continue
                }
                z.setInput(input.baseAddress! + inputStart, count: inputCount - inputStart)
                z.setOutput(out.baseAddress! + done, count: out.count - done)
                let status = z.inflate()
                let used = inputCount - inputStart - z.availableIn
                produced += UInt64(out.count - z.availableOut - done)
                done = out.count - z.availableOut
                z.setOutput(nil, count: 0)
                inputStart += used
                position += UInt64(used)
                if status == Z_STREAM_END {
                    if raw {
                        // Raw inflate stops at the end of the deflate data: step over the trailer.
                        let trailer = file.checkpoints.compression == .gzip ? 8 : 4
                        position += UInt64(trailer)
                        inputStart = 0
                        inputCount = 0
                        raw = false
                        _ = inflateReset2(z.stream, wrappedBits)
                    } else {
                        z.reset()
                    }
                    try memberEnded()
                    continue
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    throw TFRecordError(.compression, "inflate() failed with error \(status)\(z.message.map { ": " + $0 } ?? "")",
                                        path: file.path, compressedOffset: position)
                }
            }
        }

        func skip(_ count: UInt64) throws(TFRecordError) {
            guard count > 0 else { return }
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(min(count, 256 << 10)), alignment: 16)
            defer { scratch.deallocate() }
            var left = count
            while left > 0 {
                let n = Int(min(left, UInt64(scratch.count)))
                try fill(UnsafeMutableRawBufferPointer(rebasing: scratch[..<n]))
                left -= UInt64(n)
            }
        }

        func take(_ count: Int) throws(TFRecordError) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: count)
            if count > 0 {
                try result.withMutableBytes { (out) throws(TFRecordError) in try fill(out) }
            }
            return result
        }
    }
}
