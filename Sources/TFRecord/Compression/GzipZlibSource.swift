import CSupport
/// Decompresses a GZIP or ZLIB TFRecord file in bounded memory (one input buffer of
/// `ReadOptions.bufferSize`; the output goes straight into the caller's buffer).
///
/// Two engines: ISA-L's igzip (fast, the default) and zlib (the reference, TensorFlow's). On
/// anything unusual — damage, a bad wrapper, a file that ends inside a member — the reader goes
/// back to the start of the current member and lets zlib redo it, skipping what was already
/// delivered, so the bytes delivered and the error (zlib's words, as TensorFlow reports them)
/// are exactly those of a zlib reader.
///
/// Differences from TensorFlow, on purpose:
/// - GZIP: every member is read, including members that hold no data (TensorFlow stops,
///   silently, at the first empty member and drops the rest of the file).
/// - ZLIB: a second zlib stream after the first is read too (TensorFlow ignores everything after
///   the first stream silently); bytes after a stream that are not a zlib stream are an error.
/// - A stream that ends without its gzip trailer or Adler-32 is reported as `.truncated` after
///   every byte it holds has been delivered (TensorFlow says nothing).
///
/// Like TensorFlow, bytes after a gzip member that are not a gzip member (garbage, zeros) are an
/// error ("incorrect header check"), and output inflated in the same call as a failure is not
/// delivered (with 256 KiB buffers this yields exactly the records TensorFlow yields).
final class GzipZlibSource: ByteSource {
    /// The inflate implementation.
    enum Engine: Sendable {
        /// ISA-L's igzip, with zlib redoing any member where something goes wrong.
        case isal
        /// zlib only.
        case zlib
    }

    /// The compressed bytes: a local file or a stored object.
    private let file: any ByteInput
    private let path: String
    private let format: Compression
    private var engine: Engine
    private var z: ZStream?
    private var isal: IsalInflater?
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    /// Bytes read from the file so far (the file offset of `input[inputEnd]`).
    private var fileBytesRead: UInt64 = 0
    private var atEndOfFile = false
    /// A member (or zlib stream) has begun and not yet ended.
    private var inMember = false
    /// Members (or streams) completed so far.
    private var membersEnded = 0
    /// Compressed offset where the last member ended.
    private var lastMemberEnd: UInt64 = 0
    /// Where the current member began, compressed and uncompressed.
    private var memberStart: UInt64 = 0
    private var memberStartUncompressed: UInt64 = 0
    /// Uncompressed bytes delivered so far.
    private var uncompressedOffset: UInt64 = 0
    private var done = false
    /// igzip ended a member: check that what follows starts another before trusting it.
    private var checkMemberStart = false

    /// Reads the compressed bytes from `file` (a local file or a stored object).
    /// - Parameters:
    ///   - format: `.gzip` or `.zlib`.
    ///   - bufferSize: compressed bytes read at a time.
    ///   - engine: `.isal` (default) or `.zlib`.
    ///   - startOffset: where the first member begins (a member boundary; 0 for a whole file).
    ///   - uncompressedBase: the uncompressed offset of that member.
    ///   - membersBefore: members before it (for messages).
    init(input file: any ByteInput, format: Compression, bufferSize: Int, engine: Engine = .isal,
         startOffset: UInt64 = 0, uncompressedBase: UInt64 = 0, membersBefore: Int = 0,
         consumed: [UInt8] = []) throws(TFRecordError) {
        precondition(format == .gzip || format == .zlib)
        self.file = file
        self.path = file.path
        self.format = format
        self.engine = engine
        if startOffset > 0 { file.seek(to: startOffset) }
        fileBytesRead = startOffset
        lastMemberEnd = startOffset
        uncompressedOffset = uncompressedBase
        membersEnded = membersBefore
        input = .allocate(byteCount: max(bufferSize, 64), alignment: 16)
        // Bytes already read from a stream (to detect its compression) are inflated first.
        consumed.withUnsafeBytes { if let b = $0.baseAddress { input.baseAddress!.copyMemory(from: b, byteCount: $0.count) } }
        inputEnd = consumed.count
        fileBytesRead += UInt64(consumed.count)
        do {
            switch engine {
            case .isal: isal = try IsalInflater(zlib: format == .zlib)
            case .zlib: z = try ZStream(inflateWindowBits: format == .gzip ? 15 + 16 : 15)
            }
        } catch {
            input.deallocate()
            throw error.inFile(path)
        }
    }

    deinit {
        input.deallocate()
    }

    var compressedOffset: UInt64? { fileBytesRead - UInt64(inputEnd - inputStart) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if done { return 0 }
        var produced = 0
        while true {
            if inputStart == inputEnd && !atEndOfFile { try refill() }
            let atEnd = inputStart == inputEnd && atEndOfFile
            if atEnd && !inMember {
                done = true
                return deliver(produced)
            }
            if !inMember {
                // A member always begins with nothing produced yet in this call.
                if engine == .isal && checkMemberStart {
                    checkMemberStart = false
                    if !looksLikeMemberStart() {
                        // igzip's idea of where the last member ended is doubtful: zlib redoes it.
                        inMember = true
                        membersEnded -= 1
                        try switchToZlib()
                        return try read(into: buffer)
                    }
                }
                switch engine {
                case .isal: isal!.reset()
                case .zlib: z!.reset()
                }
                memberStart = compressedOffset!
                memberStartUncompressed = uncompressedOffset
                inMember = true
            }
            if atEnd && engine == .zlib {
                if produced > 0 { return deliver(produced) }
                throw truncatedError()
            }
            let available = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            let space = UnsafeMutableRawBufferPointer(rebasing: buffer[produced...])
            let step: (consumed: Int, produced: Int, finished: Bool)
            switch engine {
            case .isal:
                let r = isal!.inflate(available, into: space)
                let stuck = r.consumed == 0 && r.produced == 0 && !r.finished
                if r.status != 0 || stuck {
                    // Damage, a bad wrapper, a file cut short, or igzip unsure: zlib redoes the
                    // member and reports what it finds in its (TensorFlow's) words.
                    try switchToZlib()
                    return try read(into: buffer)
                }
                step = (r.consumed, r.produced, r.finished)
                if r.finished { checkMemberStart = true }
            case .zlib:
                let z = z!
                z.setInput(available.baseAddress, count: available.count)
                z.setOutput(space.baseAddress, count: space.count)
                let status = z.inflate()
                step = (available.count - z.availableIn, space.count - z.availableOut, status == Z_STREAM_END)
                z.setOutput(nil, count: 0)
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    inputStart += step.consumed
                    throw inflateError(status)
                }
            }
            inputStart += step.consumed
            produced += step.produced
            if step.finished {
                inMember = false
                membersEnded += 1
                lastMemberEnd = compressedOffset!
                if produced > 0 { return deliver(produced) }
            } else if produced == buffer.count {
                return deliver(produced)
            }
        }
    }

    /// Whether the next input bytes start a gzip member / zlib stream (checked after igzip ends
    /// a member and more input follows).
    private func looksLikeMemberStart() -> Bool {
        guard inputEnd - inputStart >= 2 else { return false }
        let b0 = input[inputStart]
        let b1 = input[inputStart + 1]
        if format == .gzip { return b0 == 0x1f && b1 == 0x8b }
        return b0 & 0x0f == 8 && b0 >> 4 <= 7 && (UInt16(b0) << 8 | UInt16(b1)) % 31 == 0
    }

    private func deliver(_ count: Int) -> Int {
        uncompressedOffset += UInt64(count)
        return count
    }

    private func refill() throws(TFRecordError) {
        let n = try file.read(into: input)
        fileBytesRead += UInt64(n)
        if n == 0 { atEndOfFile = true }
        inputStart = 0
        inputEnd = n
    }

    /// Lets zlib redo the current member from its start, skipping the bytes already delivered;
    /// zlib reads the rest of the file.
    private func switchToZlib() throws(TFRecordError) {
        engine = .zlib
        isal = nil
        if let z { z.reset() } else {
            do { z = try ZStream(inflateWindowBits: format == .gzip ? 15 + 16 : 15) } catch { throw error.inFile(path) }
        }
        file.seek(to: memberStart)
        fileBytesRead = memberStart
        inputStart = 0
        inputEnd = 0
        atEndOfFile = false
        inMember = true
        var skip = Int(uncompressedOffset - memberStartUncompressed)
        guard skip > 0 else { return }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: min(skip, 64 << 10), alignment: 16)
        defer { scratch.deallocate() }
        let z = z!
        while skip > 0 {
            if inputStart == inputEnd { try refill() }
            if inputStart == inputEnd {
                throw TFRecordError(.compression, "zlib and ISA-L disagree about gzip member \(membersEnded + 1)",
                                    path: path, offset: uncompressedOffset, compressedOffset: compressedOffset)
            }
            z.setInput(input.baseAddress! + inputStart, count: inputEnd - inputStart)
            z.setOutput(scratch.baseAddress, count: min(skip, scratch.count))
            let status = z.inflate()
            inputStart = inputEnd - z.availableIn
            skip -= min(skip, scratch.count) - z.availableOut
            z.setOutput(nil, count: 0)
            if status != Z_OK && status != Z_BUF_ERROR {
                if status == Z_STREAM_END && skip == 0 {
                    inMember = false
                    membersEnded += 1
                    lastMemberEnd = compressedOffset!
                    return
                }
                throw inflateError(status)
            }
        }
    }

    private var formatName: String { format == .gzip ? "gzip member" : "zlib stream" }

    private func truncatedError() -> TFRecordError {
        let unit = "\(formatName) \(membersEnded + 1)"
        let missing = format == .gzip ? "its end (the 8-byte CRC-32/length trailer at least)" : "its end (the 4-byte Adler-32 at least)"
        return TFRecordError(.truncated,
                             "the file ends inside \(unit) after \(uncompressedOffset) uncompressed bytes, before \(missing) (TensorFlow stops here silently); the file was cut",
                             path: path, offset: uncompressedOffset, compressedOffset: compressedOffset)
    }

    private func inflateError(_ status: Int32) -> TFRecordError {
        var detail = "inflate() failed with error \(status)"
        if let message = z?.message { detail += ": \(message)" }
        let noOutputInMember = (z?.stream.pointee.total_out ?? 1) == 0
        if membersEnded > 0 && noOutputInMember && isHeaderError {
            // Bytes after a complete member that do not start another one.
            let unit = membersEnded == 1 ? "the \(formatName)" : "\(formatName) \(membersEnded)"
            detail += "; the bytes after \(unit) (which ends at compressed offset \(lastMemberEnd)) are not a \(formatName)"
            if format == .zlib { detail += " (TensorFlow ignores bytes after the first zlib stream silently)" }
        } else if membersEnded == 0 && uncompressedOffset == 0 && isHeaderError {
            do {
                detail += "; " + (try wrongFormatHint())
            } catch {
                return error   // the file cannot even be read: that is the error to report
            }
        }
        return TFRecordError(.compression, detail, path: path, offset: uncompressedOffset, compressedOffset: compressedOffset)
    }

    private var isHeaderError: Bool {
        guard let message = z?.message else { return false }
        return message.contains("header") || message.contains("compression method") || message.contains("window size")
    }

    /// What the first bytes look like, for a user who named the wrong compression.
    /// - Throws: `TFRecordError.io` naming the file when they cannot be read.
    private func wrongFormatHint() throws(TFRecordError) -> String {
        var prefix = [UInt8](repeating: 0, count: 16)
        let file = self.file
        let n = try prefix.withMutableBytes { (buffer) throws(TFRecordError) in
            try file.read(into: buffer, at: 0)
        }
        let detected = Compression.detect(prefix: Array(prefix[..<n]))
        if detected == format {
            return "the file starts like a \(format) file but its header is damaged"
        }
        let looksLike = detected == .none ? "an uncompressed TFRecord file (or not a TFRecord file)" : "a \(detected.rawValue.uppercased()) file"
        return "the file was read as \(format.rawValue.uppercased()) but looks like \(looksLike); read it with compression \(detected) or let the reader detect it"
    }
}
