import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decompresses a GZIP or ZLIB TFRecord file with zlib, in bounded memory (one input buffer of
/// `ReadOptions.bufferSize`; the output goes straight into the caller's buffer).
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
    private let fd: Int32
    private let path: String
    private let format: Compression
    private let z: ZStream
    private let input: UnsafeMutableRawBufferPointer
    /// Bytes read from the file so far (the offset of the end of `input`'s valid bytes).
    private var fileBytesRead: UInt64 = 0
    private var atEndOfFile = false
    /// A member (or zlib stream) has begun and not yet ended.
    private var inMember = false
    /// Members (or streams) completed so far.
    private var membersEnded = 0
    /// Compressed offset where the last member ended.
    private var lastMemberEnd: UInt64 = 0
    /// Uncompressed bytes delivered so far.
    private var uncompressedOffset: UInt64 = 0
    private var done = false

    /// Takes ownership of `fd` (closed at `deinit`).
    /// - Parameters:
    ///   - format: `.gzip` or `.zlib`.
    ///   - bufferSize: compressed bytes read at a time.
    ///   - startOffset: where the first member begins (a member boundary; 0 for a whole file).
    ///   - uncompressedBase: the uncompressed offset of that member.
    ///   - membersBefore: members before it (for messages).
    init(fd: Int32, path: String, format: Compression, bufferSize: Int, startOffset: UInt64 = 0,
         uncompressedBase: UInt64 = 0, membersBefore: Int = 0) throws(TFRecordError) {
        precondition(format == .gzip || format == .zlib)
        self.fd = fd
        self.path = path
        self.format = format
        if startOffset > 0 { lseek(fd, off_t(startOffset), SEEK_SET) }
        fileBytesRead = startOffset
        lastMemberEnd = startOffset
        uncompressedOffset = uncompressedBase
        membersEnded = membersBefore
        do {
            z = try ZStream(inflateWindowBits: format == .gzip ? 15 + 16 : 15)
        } catch {
            Glibc.close(fd)
            throw error.inFile(path)
        }
        input = .allocate(byteCount: max(bufferSize, 64), alignment: 16)
        z.setInput(input.baseAddress, count: 0)
    }

    deinit {
        input.deallocate()
        Glibc.close(fd)
    }

    var compressedOffset: UInt64? { fileBytesRead - UInt64(z.availableIn) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TFRecordError) -> Int {
        if done { return 0 }
        z.setOutput(buffer.baseAddress, count: buffer.count)
        defer { z.setOutput(nil, count: 0) }
        while true {
            if z.availableIn == 0 && !atEndOfFile { try refill() }
            let produced = buffer.count - z.availableOut
            if z.availableIn == 0 && atEndOfFile {
                if !inMember {
                    done = true
                    uncompressedOffset += UInt64(produced)
                    return produced
                }
                if produced > 0 {
                    uncompressedOffset += UInt64(produced)
                    return produced
                }
                throw truncatedError()
            }
            if !inMember {
                if membersEnded > 0 { z.reset() }
                inMember = true
            }
            let status = z.inflate()
            let total = buffer.count - z.availableOut
            switch status {
            case Z_STREAM_END:
                inMember = false
                membersEnded += 1
                lastMemberEnd = compressedOffset!
                if total > 0 {
                    uncompressedOffset += UInt64(total)
                    return total
                }
            case Z_OK, Z_BUF_ERROR:
                if z.availableOut == 0 {
                    uncompressedOffset += UInt64(total)
                    return total
                }
            default:
                throw inflateError(status)
            }
        }
    }

    private func refill() throws(TFRecordError) {
        let n = try SystemCalls.readFully(fd, input, path: path)
        fileBytesRead += UInt64(n)
        if n == 0 { atEndOfFile = true }
        z.setInput(input.baseAddress, count: n)
    }

    private var formatName: String { format == .gzip ? "gzip member" : "zlib stream" }

    private func truncatedError() -> TFRecordError {
        let unit = format == .gzip ? "gzip member \(membersEnded + 1)" : "zlib stream \(membersEnded + 1)"
        let missing = format == .gzip ? "its end (the 8-byte CRC-32/length trailer at least)" : "its end (the 4-byte Adler-32 at least)"
        return TFRecordError(.truncated,
                             "the file ends inside \(unit) after \(uncompressedOffset) uncompressed bytes, before \(missing) (TensorFlow stops here silently); the file was cut",
                             path: path, offset: uncompressedOffset, compressedOffset: compressedOffset)
    }

    private func inflateError(_ status: Int32) -> TFRecordError {
        var detail = "inflate() failed with error \(status)"
        if let message = z.message { detail += ": \(message)" }
        let here = compressedOffset ?? 0
        if membersEnded > 0 && z.stream.pointee.total_out == 0 && isHeaderError {
            // Bytes after a complete member that do not start another one.
            let unit = membersEnded == 1 ? "the \(formatName)" : "\(formatName) \(membersEnded)"
            detail += "; the bytes after \(unit) (which ends at compressed offset \(lastMemberEnd)) are not a \(formatName)"
            if format == .zlib { detail += " (TensorFlow ignores bytes after the first zlib stream silently)" }
        } else if membersEnded == 0 && uncompressedOffset == 0 && isHeaderError {
            detail += "; " + wrongFormatHint()
        }
        return TFRecordError(.compression, detail, path: path, offset: uncompressedOffset, compressedOffset: here)
    }

    private var isHeaderError: Bool {
        guard let message = z.message else { return false }
        return message.contains("header") || message.contains("compression method") || message.contains("window size")
    }

    /// What the first bytes look like, for a user who named the wrong compression.
    private func wrongFormatHint() -> String {
        var prefix = [UInt8](repeating: 0, count: 16)
        var n = 0
        prefix.withUnsafeMutableBytes { buffer in
            n = (try? SystemCalls.pread(fd, buffer, at: 0, path: path)) ?? 0
        }
        let detected = Compression.detect(prefix: Array(prefix[..<n]))
        if detected == format {
            return "the file starts like a \(format) file but its header is damaged"
        }
        let looksLike = detected == .none ? "an uncompressed TFRecord file (or not a TFRecord file)" : "a \(detected.rawValue.uppercased()) file"
        return "the file was read as \(format.rawValue.uppercased()) but looks like \(looksLike); read it with compression \(detected) or let the reader detect it"
    }
}
